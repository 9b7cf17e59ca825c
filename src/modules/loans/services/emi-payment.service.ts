import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError } from '../../../kernel/errors';
import { logger } from '../../../kernel/logger';
import { inTransaction } from '../../../kernel/sql';
import { LedgerService } from '../../ledger';
import { loanReceivable, razorpayClearing } from '../rules/ledger-keys';
import { verifyRazorpayWebhook } from '../razorpay/razorpay-links';
import { emiPaidSignal, emiWorkflowId, loanForeclosedSignal } from '../workflows/definitions';
import { applySettlementPayment } from './settlement-payment';

interface RazorpayEvent {
  event?: string;
  payload?: { payment_link?: { entity?: { id?: string; reference_id?: string } }; payment?: { entity?: { id?: string; amount?: number; currency?: string } } };
}

/**
 * Razorpay's webhook for EMI payment links: verified on the raw body (X-Razorpay-Signature), each
 * event once (x-razorpay-event-id) and each payment once; the payment is credited to the loan in
 * the ledger (Razorpay clearing → the loan's receivable), the instalment settled, and `emi:<loanId>`
 * told (it re-enables a disabled battery at once).
 */
export class EmiPaymentService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; secret: string; currency: string }) {}

  async receive(raw: Buffer | undefined, signature: string | undefined, eventId: string | undefined, body: RazorpayEvent) {
    if (!verifyRazorpayWebhook(this.deps.secret, raw, signature)) throw new AppError('INVALID_SIGNATURE', 'The webhook signature is missing or wrong', 401);
    if (body.event !== 'payment_link.paid') return { received: true, applied: false };
    const reference = body.payload?.payment_link?.entity?.reference_id ?? '';
    const ref = /^emi-(\d+)-(\d+)$/.exec(reference);
    const payment = body.payload?.payment?.entity;
    if (!payment?.id || !Number.isInteger(payment.amount)) return { received: true, applied: false };
    const settlement = /^(prepay|close)-(\d+)$/.exec(reference);
    if (settlement) return this.settle(Number(settlement[2]), eventId, { id: payment.id, amount: payment.amount! });
    if (!ref) return { received: true, applied: false };
    const [loanId, seq] = [Number(ref[1]), Number(ref[2])];
    const applied = await inTransaction(this.deps.orm, async (tx) => {
      const fresh = await tx(
        `insert into fleet_payment_events (event_id, payment_id, loan_id, seq, amount_paise) values (?, ?, ?, ?, ?) on conflict do nothing returning event_id`,
        [eventId ?? `payment:${payment.id}`, payment.id, loanId, seq, payment.amount],
      );
      if (fresh.length === 0) return false;
      await tx(
        `update fleet_emi_instalments set paid_paise = paid_paise + ?, status = case when paid_paise + ? >= emi_paise then 'paid' else status end,
                paid_at = case when paid_paise + ? >= emi_paise then now() else paid_at end where loan_id = ? and seq = ?`,
        [payment.amount, payment.amount, payment.amount, loanId, seq],
      );
      await new LedgerService(this.deps.orm).post(
        {
          key: `emi-collection:${payment.id}`,
          type: 'emi_collection',
          metadata: { loanId, seq, paymentId: payment.id },
          postings: [
            { account: razorpayClearing(this.deps.currency), amountMinor: payment.amount! },
            { account: loanReceivable(loanId, this.deps.currency), amountMinor: -payment.amount! },
          ],
        },
        tx,
      );
      return true;
    });
    if (applied)
      await this.deps.temporal.workflow
        .getHandle(emiWorkflowId(loanId))
        .signal(emiPaidSignal, { seq, paymentId: payment.id })
        .catch((err) => logger.warn({ err: (err as Error).message, loanId }, 'EMI payment for a schedule that is not running'));
    return { received: true, applied };
  }

  /** A prepayment or foreclosure link paid: applied once; a foreclosure tells `emi:<loanId>` to close (re-enabling a disabled battery). */
  private async settle(settlementId: number, eventId: string | undefined, payment: { id: string; amount: number }) {
    const done = await inTransaction(this.deps.orm, async (tx) => {
      const [s] = await tx(`select loan_id from fleet_loan_settlements where id = ?`, [settlementId]);
      if (!s) return undefined;
      const fresh = await tx(
        `insert into fleet_payment_events (event_id, payment_id, loan_id, seq, amount_paise) values (?, ?, ?, 0, ?) on conflict do nothing returning event_id`,
        [eventId ?? `payment:${payment.id}`, payment.id, s.loan_id, payment.amount],
      );
      if (fresh.length === 0) return undefined;
      return applySettlementPayment(tx, new LedgerService(this.deps.orm), this.deps.currency, settlementId, payment);
    });
    if (done?.kind === 'foreclosure')
      await this.deps.temporal.workflow
        .getHandle(emiWorkflowId(done.loanId))
        .signal(loanForeclosedSignal, { settlementId, paymentId: payment.id })
        .catch((err) => logger.warn({ err: (err as Error).message, loanId: done.loanId }, 'Foreclosure for a schedule that is not running'));
    return { received: true, applied: done !== undefined };
  }
}
