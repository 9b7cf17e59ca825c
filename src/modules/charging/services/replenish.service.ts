import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../../config';
import { AppError, Errors } from '../../../kernel/errors';
import { logger } from '../../../kernel/logger';
import { executor } from '../../../kernel/sql';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import type { QpayDeepLink } from '../qpay/qpay.protocol';
import {
  qpayCallbackSignal,
  qpayCheckNowUpdate,
  qpayInvoiceWorkflowId,
  type QpayInvoiceInput,
  type QpayInvoiceWorkflow,
  type TopUpStatus,
} from '../workflows/qpay-definitions';
import { qpayCallbackUrl, qpayClient } from './qpay-settings';
import { newChargerId } from './charger-credentials';

export interface TopUpInvoice {
  invoice_id: string;
  url: string;
  qr_text: string;
  urls: QpayDeepLink[];
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * EV wallet top-ups through QPay v2: the invoice is created here (its id names the workflow), then
 * `qpay-invoice:<invoice_id>` settles it. The callback and a manual check are hints to it.
 */
export class ReplenishService {
  private readonly qpay;

  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config }) {
    this.qpay = qpayClient(deps.config);
  }

  async replenish(userId: string, amount: number): Promise<TopUpInvoice> {
    const { config } = this.deps;
    const exec = executor(this.deps.orm);
    const id = newChargerId();
    const token = randomBytes(18).toString('base64url');
    await exec(`insert into ev_replenishments (id, user_id, amount_minor, callback_token) values (?, ?, ?, ?)`, [id, userId, amount * 100, token]);
    const callback = `${qpayCallbackUrl(config)}?ref=${id}&token=${token}`;
    const invoice = await this.qpay
      .createInvoice({
        invoice_code: config.QPAY_INVOICE_CODE,
        sender_invoice_no: id,
        invoice_receiver_code: 'terminal',
        invoice_description: `EV wallet top-up ${amount} MNT`,
        amount,
        callback_url: callback,
      })
      .catch(async (err) => {
        await exec(`update ev_replenishments set status = 'error', settled_at = now() where id = ?`, [id]);
        if (err instanceof AppError) throw err;
        throw new AppError('GATEWAY_UNAVAILABLE', 'QPay could not be reached; try again', 503);
      });
    await exec(`update ev_replenishments set invoice_id = ?, short_url = ? where id = ?`, [invoice.invoice_id, invoice.qPay_shortUrl, id]);
    await this.ensureWorkflow({ id, user_id: userId, invoice_id: invoice.invoice_id, amount_minor: amount * 100, created_at: new Date() });
    return { invoice_id: invoice.invoice_id, url: invoice.qPay_shortUrl, qr_text: invoice.qr_text, urls: invoice.urls };
  }

  /** Owner only (else 404); a pending one is looked at once more at QPay before answering. */
  async status(userId: string, invoiceId: string): Promise<{ replenishment: { status: TopUpStatus; amount: number } }> {
    const row = await this.row(invoiceId);
    if (!row || row.user_id !== userId) throw Errors.notFound('Replenishment');
    if (row.status === 'pending') {
      const handle = this.deps.temporal.workflow.getHandle(qpayInvoiceWorkflowId(invoiceId));
      await handle.executeUpdate(qpayCheckNowUpdate).catch((err) => logger.warn({ err, invoiceId }, 'qpay check-now failed'));
    }
    const now = (await this.row(invoiceId))!;
    return { replenishment: { status: now.status, amount: Number(now.amount_minor) / 100 } };
  }

  /** QPay's callback: only a hint to the invoice's workflow; unknown or forged ones change nothing. */
  async callback(ref: string, token: string): Promise<void> {
    const [row] = /^[0-9a-f]{24}$/.test(ref) ? await executor(this.deps.orm)(`select * from ev_replenishments where id = ?`, [ref]) : [];
    if (!row || !row.invoice_id || !sameToken(String(row.callback_token), token) || row.status !== 'pending') return;
    await this.ensureWorkflow(row);
  }

  private async row(invoiceId: string) {
    const [row] = await executor(this.deps.orm)(`select * from ev_replenishments where invoice_id = ?`, [invoiceId]);
    return row as { id: string; user_id: string; invoice_id: string; amount_minor: string; status: TopUpStatus; created_at: Date } | undefined;
  }

  /** Signal-with-start: a workflow that never started (the API died after creating the invoice) starts now; a closed one is not run again. */
  private async ensureWorkflow(row: { id: string; user_id: string; invoice_id: string; amount_minor: number | string; created_at: Date }) {
    const { config, temporal } = this.deps;
    const input: QpayInvoiceInput = {
      invoiceId: row.invoice_id,
      replenishmentId: row.id,
      userId: row.user_id,
      amount: Number(row.amount_minor) / 100,
      amountMinor: Number(row.amount_minor),
      expiresAt: new Date(row.created_at).getTime() + config.QPAY_INVOICE_TTL_MINUTES * 60_000,
      pollMs: config.QPAY_POLL_SECONDS * 1000,
      maxPollMs: config.QPAY_MAX_POLL_SECONDS * 1000,
    };
    await temporal.workflow
      .signalWithStart<QpayInvoiceWorkflow, []>('qpayInvoiceWorkflow', {
        workflowId: qpayInvoiceWorkflowId(row.invoice_id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input],
        signal: qpayCallbackSignal,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: startAttributes({ userId: row.user_id, surface: 'ev', status: 'pending' }),
      })
      .catch((err) => {
        if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return;
        throw err;
      });
  }
}
