import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { gatewayClearing, userWallet, LedgerService, PointsService } from '../../ledger';
import { formatMinor } from '../../../kernel/money';
import type { GatewayLookup, GatewayName, PaymentGateway } from '../gateways/gateway';
import { NotificationService } from '../../engagement';
import type { GatewayRegistry } from '../services/gateways';
import type { MoneyNotification } from '../services/money-notification';
import { executor } from '../../../kernel/sql';
import { userContact } from '../../identity';

export interface PaymentActivityDeps {
  orm: MikroORM;
  /** The product's name in what the gateway shows the payer (e.g. the payment description). */
  brand: string;
  gateways?: GatewayRegistry;
}

export interface SessionResult {
  gatewayRef: string;
  paymentUrl?: string | null;
  extra?: Record<string, unknown> | null;
}

export function gatewayOf(gateways: GatewayRegistry | undefined, name: string): PaymentGateway {
  const g = gateways?.[name as GatewayName];
  if (!g) throw ApplicationFailure.nonRetryable(`payment gateway ${name} is not configured`, 'GatewayNotConfigured');
  return g;
}

/** The gateway side of a top-up: open its session once, look the payment up. */
function topupGatewayActivities({ orm, gateways, brand }: PaymentActivityDeps) {
  const conn = () => orm.em.getConnection();
  return {
    async createGatewaySession(input: { intentId: string; returnUrl: string }): Promise<SessionResult> {
      const [row] = await conn().execute(`select * from payment_intents where id = ?`, [input.intentId]);
      if (!row) throw ApplicationFailure.nonRetryable(`intent ${input.intentId} not found`, 'IntentNotFound');
      if (row.gateway_ref) return { gatewayRef: row.gateway_ref, paymentUrl: row.payment_url, extra: row.session_extra };
      const user = await userContact(executor(orm), String(row.user_id));
      const session = await gatewayOf(gateways, row.gateway).createSession({
        intentId: row.id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        description: `${brand} wallet top-up ${row.currency} ${formatMinor(Number(row.amount_minor), row.currency)}`,
        returnUrl: input.returnUrl,
        customer: user ? { name: user.username ?? undefined, email: user.email ?? undefined, phone: user.phone ?? undefined } : undefined,
        idempotencyKey: `payment-intent:${row.id}`,
      });
      await conn().execute(`update payment_intents set gateway_ref = ?, payment_url = ?, session_extra = ?, updated_at = now() where id = ?`, [
        session.gatewayRef,
        session.paymentUrl ?? null,
        session.extra ? JSON.stringify(session.extra) : null,
        row.id,
      ]);
      return { gatewayRef: session.gatewayRef, paymentUrl: session.paymentUrl ?? null, extra: session.extra ?? null };
    },

    /** Asks the gateway for the truth (callbacks are only hints). */
    async lookupPayment(input: {
      intentId: string;
      gateway: string;
      gatewayRef: string;
      amountMinor: number;
    }): Promise<Pick<GatewayLookup, 'status' | 'amountMinor' | 'gatewayTxnId' | 'reason'>> {
      const r = await gatewayOf(gateways, input.gateway).lookup(input.gatewayRef, { intentId: input.intentId, amountMinor: input.amountMinor });
      return { status: r.status, amountMinor: r.amountMinor, gatewayTxnId: r.gatewayTxnId ?? null, ...(r.reason ? { reason: r.reason } : {}) };
    },
  };
}

/** The wallet side of a top-up: credit once, or record why it ended unpaid; tell the customer. */
function topupLedgerActivities(orm: MikroORM) {
  const ledger = new LedgerService(orm);
  const points = new PointsService(ledger);
  const conn = () => orm.em.getConnection();
  return {
    /**
     * Credits the wallet exactly once (`topup:<intentId>`), awards the top-up points once
     * (`points:topup:<intentId>`), then marks the intent paid: a reader that sees `success` sees both.
     */
    async settleTopup(input: {
      intentId: string;
      userId: string;
      gateway: string;
      amountMinor: number;
      gatewayTxnId?: string | null;
    }): Promise<{ entryId: string; pointsAwarded: number }> {
      const [intent] = await conn().execute(`select currency from payment_intents where id = ?`, [input.intentId]);
      if (!intent) throw ApplicationFailure.nonRetryable(`intent ${input.intentId} not found`, 'IntentNotFound');
      const currency = String(intent.currency);
      const entry = await ledger.post({
        key: `topup:${input.intentId}`,
        type: 'topup',
        userId: input.userId,
        description: `Wallet top-up via ${input.gateway}`,
        metadata: { gateway: input.gateway, intent_id: input.intentId, gateway_txn_id: input.gatewayTxnId ?? null },
        postings: [
          { account: userWallet(input.userId, currency), amountMinor: input.amountMinor },
          { account: gatewayClearing(input.gateway, currency), amountMinor: -input.amountMinor },
        ],
      });
      const award = await points.awardTopup(input.userId, input.intentId, input.amountMinor);
      await conn().execute(
        `update payment_intents set status = 'success', journal_entry_id = ?, gateway_txn_id = coalesce(?, gateway_txn_id), failure_reason = null,
         completed_at = coalesce(completed_at, now()), updated_at = now() where id = ?`,
        [entry.id, input.gatewayTxnId ?? null, input.intentId],
      );
      return { entryId: entry.id, pointsAwarded: award ? award.postings.find((l) => l.kind === 'points')!.amountMinor : 0 };
    },

    /** Records why a pending intent ended without payment. */
    async closeIntent(input: { intentId: string; status: 'failed' | 'canceled' | 'expired'; reason: string }): Promise<void> {
      await conn().execute(
        `update payment_intents set status = ?, failure_reason = ?, completed_at = now(), updated_at = now() where id = ? and status = 'pending'`,
        [input.status, input.reason.slice(0, 255), input.intentId],
      );
    },

    /** Payment/refund status to the user's in-app inbox (notifications context), once per dedupe key. */
    async notifyMoneyEvent(n: MoneyNotification): Promise<void> {
      const ctx = Context.current();
      const service = new NotificationService({ orm, temporal: ctx.client, taskQueue: ctx.info.taskQueue });
      await service.notify(n.userId, { type: n.type, title: n.title, body: n.message, data: n.data }, ['in_app'], { dedupeKey: n.dedupeKey });
    },
  };
}

/** Side effects of a top-up. Each is idempotent on the intent id (DB row, ledger key, gateway key). */
export function createPaymentActivities(deps: PaymentActivityDeps) {
  return { ...topupGatewayActivities(deps), ...topupLedgerActivities(deps.orm) };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
