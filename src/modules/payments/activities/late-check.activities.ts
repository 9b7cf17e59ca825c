import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor, toInt } from '../../../kernel/money';
import type { LookupResult } from './gateway.activities';
import { notifyMoney, settleTopupOnce } from './topup-money';

/** After the TTL: first look after `firstMs`, each gap twice the last up to `maxMs`, none after `giveUpMs` from the intent's creation. */
export interface LateCheckPolicy {
  firstMs: number;
  maxMs: number;
  giveUpMs: number;
}
export const DEFAULT_LATE_CHECK: LateCheckPolicy = { firstMs: 3_600_000, maxMs: 24 * 3_600_000, giveUpMs: 7 * 24 * 3_600_000 };

export interface DueLateCheck {
  intentId: string;
  userId: string;
  gateway: string;
  gatewayRef: string;
  amountMinor: number;
  currency: string;
}

export type LateCheckOutcome = 'credited' | 'settled' | 'again' | 'gave_up';

const FINAL_UNPAID = ['failed', 'canceled', 'expired', 'refunded'];

/**
 * The late-check schedule's steps: which closed-but-unsettled intents are due a look, and what a
 * look decides. A success is credited once (`topup:<id>`) even though the customer was told the
 * top-up expired, and they are told it arrived; a gateway that ends it unpaid ends the checks;
 * anything else (still pending, held, not reachable) is looked at again later, backing off.
 */
export function createLateCheckActivities({ orm, lateCheck }: { orm: MikroORM; lateCheck: LateCheckPolicy }) {
  const conn = () => orm.em.getConnection();
  const stop = (intentId: string, outcome: string, gatewayStatus: string | null) =>
    conn().execute(`update payment_intents set late_check_at = null, late_outcome = ?, gateway_status = coalesce(?, gateway_status) where id = ?`, [
      outcome,
      gatewayStatus,
      intentId,
    ]);
  return {
    async dueLateChecks(input: { limit: number; only?: string[] }): Promise<DueLateCheck[]> {
      const only = input.only?.length ? `and id in (?)` : '';
      const rows = await conn().execute(
        `select id, user_id, gateway, gateway_ref, amount_minor, currency from payment_intents
         where late_check_at is not null and late_check_at <= now() and status <> 'success' and gateway_ref is not null ${only}
         order by late_check_at limit ?`,
        [...(input.only?.length ? [input.only] : []), input.limit],
      );
      return rows.map((r: Record<string, unknown>) => ({
        intentId: String(r.id),
        userId: String(r.user_id),
        gateway: String(r.gateway),
        gatewayRef: String(r.gateway_ref),
        amountMinor: toInt(r.amount_minor),
        currency: String(r.currency),
      }));
    },

    /** What one late look decided (`result` null: the gateway could not be asked). */
    async concludeLateCheck(input: { intent: DueLateCheck; result: LookupResult | null }): Promise<LateCheckOutcome> {
      const { intent, result } = input;
      const word = result?.gatewayStatus ?? null;
      if (result?.status === 'success' && !result.inconclusive) {
        await settleTopupOnce(orm, { ...intent, gatewayTxnId: result.gatewayTxnId ?? null });
        await stop(intent.intentId, 'credited', word);
        await notifyMoney(orm, {
          userId: intent.userId,
          type: 'payment_status',
          dedupeKey: `payment-status:${intent.intentId}:success`,
          title: 'Top-up successful',
          message: `Your ${intent.currency} ${formatMinor(intent.amountMinor, intent.currency)} top-up was confirmed by ${intent.gateway} after it had expired here; it was added to your wallet.`,
          data: { intent_id: intent.intentId, status: 'success', late: true, amount: formatMinor(intent.amountMinor), gateway: intent.gateway },
        });
        return 'credited';
      }
      if (result && !result.inconclusive && FINAL_UNPAID.includes(result.status)) {
        await stop(intent.intentId, 'settled', word);
        return 'settled';
      }
      const [row] = await conn().execute(
        `update payment_intents set late_checks = late_checks + 1, gateway_status = coalesce(?, gateway_status),
           late_check_at = case when created_at + (? * interval '1 millisecond') < now() then null
             else now() + least(? * power(2, late_checks + 1), ?) * interval '1 millisecond' end,
           late_outcome = case when created_at + (? * interval '1 millisecond') < now() then 'gave_up' else late_outcome end
         where id = ? returning late_outcome`,
        [word, lateCheck.giveUpMs, lateCheck.firstMs, lateCheck.maxMs, lateCheck.giveUpMs, intent.intentId],
      );
      return row?.late_outcome === 'gave_up' ? 'gave_up' : 'again';
    },
  };
}
