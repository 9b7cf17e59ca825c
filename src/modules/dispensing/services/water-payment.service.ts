import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { logger } from '../../../kernel/logger';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { parseTransactionDate } from '../rules/daraja';
import { maskPhone, previewAmount, toMinor, type Preview } from '../rules/pricing';
import { newTransactionReference, waterPaymentWorkflowId } from '../rules/references';
import type { PaymentMethod } from '../rules/statuses';
import { checkNowUpdate, gatewayHintSignal, startedUpdate, type WaterPaymentWorkflow } from '../workflows/definitions';
import { readTransaction } from './rows';
import { otpSettings, priceRules, type WaterConfig } from './settings';

export interface WaterPaymentDeps {
  orm: MikroORM;
  temporal: Client;
  config: WaterConfig;
}

const outOfRange = (c: WaterConfig) =>
  new AppError('INVALID_AMOUNT', `Amount must be between ${c.WATER_MIN_AMOUNT} and ${c.WATER_MAX_AMOUNT} ${c.WATER_CURRENCY} and buy at least one liter`, 400);

/** What the status endpoints show: the seed's fields; the phone masked (no phone number to an anonymous caller). */
/** A transaction as the status answers show it: the phone masked, unless `fullPhone` (an admin asks). */
export function presentTransaction(r: Record<string, any>, opts: { fullPhone?: boolean } = {}) {
  return {
    transactionReference: r.transaction_reference,
    paymentMethod: r.method,
    phoneNumber: opts.fullPhone ? (r.phone_number ?? null) : maskPhone(r.phone_number),
    amount: r.amount_minor / 100,
    liters: r.liters,
    currency: r.currency,
    status: r.status,
    checkoutRequestId: r.checkout_request_id ?? null,
    merchantRequestId: r.merchant_request_id ?? null,
    mpesaReceiptNumber: r.method === 'mpesa' ? (r.receipt_number ?? null) : undefined,
    paystackReceiptNumber: r.method === 'paystack' ? (r.receipt_number ?? null) : undefined,
    paystackStatus: r.method === 'paystack' ? (r.gateway_status ?? null) : undefined,
    paystackChannel: r.method === 'paystack' ? (r.channel ?? null) : undefined,
    transactionDate: r.transaction_date ? new Date(r.transaction_date).toISOString() : null,
    resultCode: r.result_code ?? null,
    resultDesc: r.result_desc ?? null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Water purchases: preview, start (the `water-payment` workflow), status, gateway checks and the gateways' notifications. */
export class WaterPaymentService {
  private readonly q;
  constructor(private readonly deps: WaterPaymentDeps) {
    this.q = executor(deps.orm);
  }

  preview(amount: number): Preview {
    const p = previewAmount(amount, priceRules(this.deps.config));
    if (!p) throw outOfRange(this.deps.config);
    return p;
  }

  /** Creates the row, starts `water-payment:<reference>` and waits for the push (or page) to exist. */
  async start(method: PaymentMethod, amount: number, who: { phoneNumber?: string; email?: string; metadata?: Record<string, unknown> }) {
    const p = this.preview(amount);
    const c = this.deps.config;
    const ref = newTransactionReference(Date.now(), randomBytes(6).toString('base64url'));
    await this.q(
      `insert into water_transactions (transaction_reference, method, status, phone_number, email, amount_minor, currency, liters, metadata) values (?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
      [ref, method, who.phoneNumber ?? null, who.email ?? null, toMinor(p.amount), c.WATER_CURRENCY, p.liters, JSON.stringify(who.metadata ?? {})],
    );
    const handle = await this.deps.temporal.workflow.start<WaterPaymentWorkflow>('waterPaymentWorkflow', {
      workflowId: waterPaymentWorkflowId(ref),
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: startAttributes({ surface: 'water' }),
      args: [
        {
          transactionReference: ref,
          method,
          liters: p.liters,
          timeoutMs: c.WATER_PAYMENT_TIMEOUT_MINUTES * 60_000,
          pollMs: 5_000,
          maxPollMs: 60_000,
          otp: otpSettings(c),
        },
      ],
    });
    const snap = await handle.executeUpdate(startedUpdate);
    if (snap.status === 'failed') throw new AppError('PAYMENT_INITIATION_FAILED', `${method === 'mpesa' ? 'STK Push' : 'Paystack'} initiation failed`, 502);
    return { preview: p, snapshot: snap, row: (await readTransaction(this.q, ref))! };
  }

  async status(ref: string) {
    const row = await readTransaction(this.q, ref);
    if (!row) throw new AppError('TRANSACTION_NOT_FOUND', 'Transaction not found', 404);
    return row;
  }

  /** Asks the gateway now (through the workflow, which settles what it learns); a closed run answers from the row. */
  async checkNow(ref: string, method: PaymentMethod) {
    const row = await this.status(ref);
    // Another method's reference names no transaction of this gateway: not found here (a well-formed request, so not a 400).
    if (row.method !== method) throw new AppError('WRONG_PAYMENT_METHOD', `Transaction was not paid with ${method}`, 404);
    // The transaction exists but its STK push was never sent: its state, not the request, is at fault.
    if (method === 'mpesa' && !row.checkout_request_id) throw new AppError('NO_CHECKOUT_REQUEST', 'No checkout request ID for this transaction', 409);
    if (['pending', 'processing'].includes(row.status))
      await this.deps.temporal.workflow
        .getHandle(waterPaymentWorkflowId(ref))
        .executeUpdate(checkNowUpdate)
        .catch((err) => logger.warn({ err, ref }, 'water check-now not delivered'));
    return this.status(ref);
  }

  /** Daraja's callback: recorded with what we made of it; a hint to the workflow (which confirms by STK query). Never throws. */
  async mpesaCallback(body: unknown): Promise<{ accepted: boolean; reason?: string }> {
    const cb = (body as { Body?: { stkCallback?: Record<string, any> } })?.Body?.stkCallback;
    const id = typeof cb?.CheckoutRequestID === 'string' ? cb.CheckoutRequestID : undefined;
    const row = id ? (await this.q(`select * from water_transactions where checkout_request_id = ?`, [id]))[0] : undefined;
    const reason = !cb
      ? 'not an stkCallback body'
      : !id
        ? 'no CheckoutRequestID'
        : !row
          ? 'unknown CheckoutRequestID'
          : typeof cb.ResultCode !== 'number'
            ? 'ResultCode is not a number'
            : undefined;
    await this.q(`insert into water_gateway_events (source, transaction_reference, outcome, reason, body) values ('mpesa_callback', ?, ?, ?, ?)`, [
      row?.transaction_reference ?? null,
      reason ? 'rejected' : 'hint',
      reason ?? null,
      JSON.stringify(body ?? null).slice(0, 10_000),
    ]);
    if (reason) return { accepted: false, reason };
    if (cb!.ResultCode === 0) {
      const item = (name: string) => (cb!.CallbackMetadata?.Item as { Name: string; Value?: unknown }[] | undefined)?.find((i) => i.Name === name)?.Value;
      // Kept only while the payment is open; the workflow completes it only if Daraja's query says 0.
      await this.q(
        `update water_transactions set receipt_number = coalesce(receipt_number, ?), transaction_date = coalesce(transaction_date, ?), updated_at = now() where transaction_reference = ? and status = 'processing'`,
        [
          item('MpesaReceiptNumber') === undefined ? null : String(item('MpesaReceiptNumber')).slice(0, 32),
          parseTransactionDate(item('TransactionDate')),
          row.transaction_reference,
        ],
      );
    }
    await this.hint(row.transaction_reference);
    return { accepted: true };
  }

  async hint(ref: string) {
    await this.deps.temporal.workflow
      .getHandle(waterPaymentWorkflowId(ref))
      .signal(gatewayHintSignal)
      .catch(() => undefined); // closed already: nothing to wake
  }
}
