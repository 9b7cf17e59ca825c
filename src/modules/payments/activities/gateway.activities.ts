import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor } from '../../../kernel/money';
import { executor } from '../../../kernel/sql';
import { userContact } from '../../identity';
import type { GatewayLookup, GatewayName, GatewayPaymentStatus, PaymentGateway } from '../gateways/gateway';
import type { GatewayRegistry } from '../services/gateways';
import { atGateway } from './gateway-errors';

export interface GatewayActivityDeps {
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

export type LookupResult = Pick<GatewayLookup, 'status' | 'amountMinor' | 'gatewayTxnId' | 'reason' | 'inconclusive'> & { gatewayStatus?: string | null };

export function gatewayOf(gateways: GatewayRegistry | undefined, name: string): PaymentGateway {
  const g = gateways?.[name as GatewayName];
  if (!g) throw ApplicationFailure.nonRetryable(`payment gateway ${name} is not configured`, 'GatewayNotConfigured');
  return g;
}

/** The gateway's own word for a payment (Khalti `Pending`, eSewa `AMBIGUOUS`, Stripe `processing`), for the row. */
function gatewayWord(raw: unknown): string | null {
  const status = (raw as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? status.slice(0, 32) : null;
}

/**
 * The calls to payment gateways, and nothing else that could wait on them: these run on the
 * `<task queue>-gateways` queue, whose worker is rate-limited (docs/ARCHITECTURE.md), so a slow or
 * rate-limited gateway never holds the ledger's and the devices' activity slots.
 */
export function createGatewayActivities({ orm, gateways, brand }: GatewayActivityDeps) {
  const conn = () => orm.em.getConnection();
  return {
    /**
     * Opens the intent's gateway session, once: an intent that already has one (a retry after the
     * session was recorded, a reconciling run) gets it back, never a second live session. Recording
     * it is the next activity's job, so a database hiccup never initiates twice.
     */
    async openGatewaySession(input: { intentId: string; returnUrl: string }): Promise<SessionResult> {
      const [row] = await conn().execute(`select * from payment_intents where id = ?`, [input.intentId]);
      if (!row) throw ApplicationFailure.nonRetryable(`intent ${input.intentId} not found`, 'IntentNotFound');
      if (row.gateway_ref) return { gatewayRef: row.gateway_ref, paymentUrl: row.payment_url, extra: row.session_extra };
      const user = await userContact(executor(orm), String(row.user_id));
      const session = await atGateway(() =>
        gatewayOf(gateways, row.gateway).createSession({
          intentId: row.id,
          amountMinor: Number(row.amount_minor),
          currency: row.currency,
          description: `${brand} wallet top-up ${row.currency} ${formatMinor(Number(row.amount_minor), row.currency)}`,
          returnUrl: input.returnUrl,
          customer: user ? { name: user.username ?? undefined, email: user.email ?? undefined, phone: user.phone ?? undefined } : undefined,
          idempotencyKey: `payment-intent:${row.id}`,
        }),
      );
      return { gatewayRef: session.gatewayRef, paymentUrl: session.paymentUrl ?? null, extra: session.extra ?? null };
    },

    /** Asks the gateway for the truth (callbacks are only hints). */
    async lookupPayment(input: { intentId: string; gateway: string; gatewayRef: string; amountMinor: number }): Promise<LookupResult> {
      const r = await atGateway(() =>
        gatewayOf(gateways, input.gateway).lookup(input.gatewayRef, { intentId: input.intentId, amountMinor: input.amountMinor }),
      );
      return {
        status: r.status,
        amountMinor: r.amountMinor,
        gatewayTxnId: r.gatewayTxnId ?? null,
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.inconclusive ? { inconclusive: true } : {}),
        gatewayStatus: gatewayWord(r.raw),
      };
    },

    /** Makes an unpaid session unpayable where the gateway can (Stripe); null where it cannot (it lapses there by itself). */
    async cancelAtGateway(input: { gateway: string; gatewayRef: string }): Promise<GatewayPaymentStatus | null> {
      const g = gatewayOf(gateways, input.gateway);
      if (!g.cancel) return null;
      return atGateway(() => g.cancel!(input.gatewayRef));
    },

    /** Refunds through the gateway's API; null where it has none (eSewa: finance pays it back by hand). */
    async refundAtGateway(input: {
      refundId: string;
      gateway: string;
      gatewayRef: string;
      gatewayTxnId?: string | null;
      amountMinor: number;
    }): Promise<{ refundId: string; status: 'pending' | 'succeeded' | 'failed' } | null> {
      const g = gatewayOf(gateways, input.gateway);
      if (!g.refund) return null;
      const { gatewayRef, gatewayTxnId, amountMinor, refundId } = input;
      return atGateway(() => g.refund!({ gatewayRef, gatewayTxnId, amountMinor, idempotencyKey: `refund:${refundId}`, reference: refundId }));
    },

    /** A gateway refund's status now (Stripe refunds settle later). */
    async gatewayRefundStatus(input: { gateway: string; gatewayRefundId: string }): Promise<'pending' | 'succeeded' | 'failed'> {
      const g = gatewayOf(gateways, input.gateway);
      if (!g.refundStatus) return 'succeeded';
      return atGateway(() => g.refundStatus!(input.gatewayRefundId));
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
