import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { MoneyNotification } from '../services/money-notification';
import { notifyMoney, settleTopupOnce, type SettleInput } from './topup-money';
import { createGatewayActivities, type GatewayActivityDeps, type SessionResult } from './gateway.activities';
import { createPaymentAttentionActivities } from './attention.activities';
import { createLateCheckActivities, DEFAULT_LATE_CHECK, type LateCheckPolicy } from './late-check.activities';

export { gatewayOf, type SessionResult, type LookupResult } from './gateway.activities';

export interface PaymentActivityDeps extends GatewayActivityDeps {
  /** How intents past their TTL are looked up again (README: PAYMENT_LATE_CHECK_*). */
  lateCheck?: LateCheckPolicy;
}

/** The intent's row: its session, its payment, or why it ended unpaid; and the customer's notices. */
function topupRecordActivities(orm: MikroORM, lateCheck: LateCheckPolicy) {
  const conn = () => orm.em.getConnection();
  return {
    /** Records the session once: a session recorded before (another run's) wins, so one intent has one live session. */
    async recordGatewaySession(input: { intentId: string; session: SessionResult }): Promise<SessionResult> {
      const { session } = input;
      const [row] = await conn().execute(
        `update payment_intents set gateway_ref = coalesce(gateway_ref, ?), payment_url = case when gateway_ref is null then ? else payment_url end,
           session_extra = case when gateway_ref is null then ? else session_extra end, updated_at = now() where id = ?
         returning gateway_ref, payment_url, session_extra`,
        [session.gatewayRef, session.paymentUrl ?? null, session.extra ? JSON.stringify(session.extra) : null, input.intentId],
      );
      if (!row) throw ApplicationFailure.nonRetryable(`intent ${input.intentId} not found`, 'IntentNotFound');
      return { gatewayRef: row.gateway_ref, paymentUrl: row.payment_url, extra: row.session_extra };
    },

    async settleTopup(input: SettleInput): Promise<{ entryId: string; pointsAwarded: number }> {
      return settleTopupOnce(orm, input);
    },

    /**
     * Records why a pending intent ended without payment. `lateCheck`: the gateway has not settled
     * it either way (still pending, held, or it could not be asked), so the late-check schedule
     * keeps looking it up after this (a late payment is still credited).
     */
    async closeIntent(input: {
      intentId: string;
      status: 'failed' | 'canceled' | 'expired';
      reason: string;
      gatewayStatus?: string | null;
      lateCheck?: boolean;
    }): Promise<void> {
      await conn().execute(
        `update payment_intents set status = ?, failure_reason = ?, gateway_status = coalesce(?, gateway_status),
           late_check_at = case when ? then now() + (? * interval '1 millisecond') else null end,
           completed_at = now(), updated_at = now() where id = ? and status = 'pending'`,
        [input.status, input.reason.slice(0, 255), input.gatewayStatus ?? null, input.lateCheck === true, lateCheck.firstMs, input.intentId],
      );
    },

    async notifyMoneyEvent(n: MoneyNotification): Promise<void> {
      await notifyMoney(orm, n);
    },
  };
}

/**
 * Side effects of a top-up. Each is idempotent on the intent id (DB row, ledger key, gateway key).
 * The gateway calls are here too, for runs started before they moved to the gateway queue.
 */
export function createPaymentActivities(deps: PaymentActivityDeps) {
  const lateCheck = deps.lateCheck ?? DEFAULT_LATE_CHECK;
  const gateway = createGatewayActivities(deps);
  const records = topupRecordActivities(deps.orm, lateCheck);
  return {
    ...gateway,
    ...records,
    /** One activity that opens and records the session, as runs started before the split call it. */
    async createGatewaySession(input: { intentId: string; returnUrl: string }): Promise<SessionResult> {
      return records.recordGatewaySession({ intentId: input.intentId, session: await gateway.openGatewaySession(input) });
    },
    ...createPaymentAttentionActivities(deps.orm),
    ...createLateCheckActivities({ orm: deps.orm, lateCheck }),
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
