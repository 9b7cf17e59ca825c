import type { MikroORM } from '@mikro-orm/postgresql';

/** The two kinds of payments runs that park: a top-up intent and a refund request. */
export type PaymentRunKind = 'payment_intent' | 'refund';
const TABLE: Record<PaymentRunKind, string> = { payment_intent: 'payment_intents', refund: 'refund_requests' };
const REASON_COLUMN: Record<PaymentRunKind, string> = { payment_intent: 'failure_reason', refund: 'failure_reason' };

/**
 * The row's side of `needs_attention` (src/kernel/temporal/attention.ts) for intents and refunds:
 * parked (reason, step, since; the status it had is kept), cleared for a retry, resolved by hand.
 */
export function createPaymentAttentionActivities(orm: MikroORM) {
  const conn = () => orm.em.getConnection();
  return {
    async markPaymentAttention(input: { kind: PaymentRunKind; id: string; reason: string; step: string }): Promise<void> {
      await conn().execute(
        `update ${TABLE[input.kind]} set attention_prev_status = case when status = 'needs_attention' then attention_prev_status else status end,
           status = 'needs_attention', attention_reason = ?, attention_step = ?, attention_at = now() where id = ?`,
        [input.reason.slice(0, 500), input.step.slice(0, 64), input.id],
      );
    },

    /** An admin asked for a retry: back to the status it had. */
    async clearPaymentAttention(input: { kind: PaymentRunKind; id: string }): Promise<void> {
      await conn().execute(
        `update ${TABLE[input.kind]} set status = attention_prev_status, attention_reason = null, attention_step = null, attention_at = null,
           attention_prev_status = null where id = ? and status = 'needs_attention'`,
        [input.id],
      );
    },

    /** An admin closed a parked run by hand: it ends `failed` with who and why; nothing more moves. */
    async resolvePaymentAttention(input: { kind: PaymentRunKind; id: string; by: string; note?: string }): Promise<void> {
      const reason = `resolved by an admin${input.note ? `: ${input.note}` : ''}`.slice(0, 255);
      await conn().execute(
        `update ${TABLE[input.kind]} set status = 'failed', ${REASON_COLUMN[input.kind]} = ?, attention_resolved_by = ?, attention_resolved_at = now(),
           attention_note = ?, completed_at = coalesce(completed_at, now()) where id = ? and status = 'needs_attention'`,
        [reason, input.by.slice(0, 64), input.note?.slice(0, 500) ?? null, input.id],
      );
    },
  };
}
