import type Stripe from 'stripe';
import {
  GatewayError,
  InvalidNotificationError,
  type CreateSessionInput,
  type GatewayLookup,
  type GatewayPaymentStatus,
  type GatewaySession,
  type IncomingNotification,
  type PaymentGateway,
  type VerifiedNotification,
} from '../gateway';
import { trimBase } from '../http';

export interface StripeAdapterOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com (default) or the local sandbox, e.g. http://127.0.0.1:7403. */
  apiUrl?: string;
  /** Three-letter currency the wallet tops up in (lowercase on the wire); default NPR. */
  currency?: string;
  /** Where the payer completes the PaymentIntent: the sandbox's checkout page, or our own Stripe Elements page. */
  paymentPageUrl?: string;
  /** Webhook signature tolerance in seconds (the SDK's default is 300). */
  toleranceSeconds?: number;
  timeoutMs?: number;
}

/** Maps an SDK error to GatewayError: connection/5xx/429 retryable, 4xx (card, params, idempotency, auth) not. */
function toGatewayError(err: unknown, what: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { type?: string; statusCode?: number; code?: string; message?: string; raw?: { type?: string } };
  const status = e?.statusCode;
  const retryable = e?.type === 'StripeConnectionError' || status === undefined || status >= 500 || status === 429 || status === 409;
  // code: Stripe's error code (card_declined, resource_missing…) or else its error type (idempotency_error…).
  return new GatewayError(`stripe: ${what}: ${e?.message ?? String(err)}`, 'stripe', retryable, status, e?.code ?? e?.raw?.type ?? e?.type, e?.raw);
}

function intentStatus(pi: Stripe.PaymentIntent): GatewayPaymentStatus {
  switch (pi.status) {
    case 'succeeded':
      return 'success';
    case 'canceled':
      return 'canceled';
    case 'requires_payment_method':
      return pi.last_payment_error ? 'failed' : 'pending';
    default:
      return 'pending'; // requires_confirmation | requires_action | processing | requires_capture
  }
}

const chargeId = (c: string | Stripe.Charge | null) => (c === null ? null : typeof c === 'string' ? c : c.id);

/** Stripe PaymentIntents through the official SDK, pointed at api.stripe.com or the sandbox. */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  readonly currency: string;
  readonly apiUrl: string;
  /** The official SDK, loaded with the first call rather than with every process that imports payments. */
  private sdk?: Promise<Stripe>;

  constructor(private readonly opts: StripeAdapterOptions) {
    this.apiUrl = trimBase(opts.apiUrl ?? 'https://api.stripe.com');
    this.currency = (opts.currency ?? 'NPR').toUpperCase();
  }

  client(): Promise<Stripe> {
    const u = new URL(this.apiUrl);
    this.sdk ??= import('stripe').then(
      ({ default: StripeSdk }) =>
        new StripeSdk(this.opts.secretKey, {
          host: u.hostname,
          port: u.port || (u.protocol === 'http:' ? 80 : 443),
          protocol: u.protocol === 'http:' ? 'http' : 'https',
          maxNetworkRetries: 0,
          timeout: this.opts.timeoutMs ?? 10_000,
          telemetry: false,
        }),
    );
    return this.sdk;
  }

  async createSession(input: CreateSessionInput): Promise<GatewaySession> {
    if (input.currency.toUpperCase() !== this.currency)
      throw new GatewayError(`stripe: configured for ${this.currency}, not ${input.currency}`, 'stripe', false);
    let pi: Stripe.PaymentIntent;
    try {
      pi = await (
        await this.client()
      ).paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: this.currency.toLowerCase(),
          description: input.description,
          metadata: { intent_id: input.intentId },
          automatic_payment_methods: { enabled: true },
          ...(input.customer?.email ? { receipt_email: input.customer.email } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (err) {
      throw toGatewayError(err, 'create PaymentIntent');
    }
    const page = this.opts.paymentPageUrl ? new URL(`${trimBase(this.opts.paymentPageUrl)}/${pi.id}`) : new URL(input.returnUrl);
    if (!this.opts.paymentPageUrl) {
      page.searchParams.set('payment_intent', pi.id);
      page.searchParams.set('payment_intent_client_secret', pi.client_secret ?? '');
    }
    return { gatewayRef: pi.id, paymentUrl: page.toString(), extra: { client_secret: pi.client_secret, status: pi.status } };
  }

  async lookup(gatewayRef: string, expected: { intentId: string; amountMinor: number }): Promise<GatewayLookup> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = await (await this.client()).paymentIntents.retrieve(gatewayRef, { expand: ['latest_charge'] });
    } catch (err) {
      throw toGatewayError(err, `retrieve ${gatewayRef}`);
    }
    const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    let status = intentStatus(pi);
    if (status === 'success' && charge && charge.amount_refunded > 0) status = 'refunded';
    const result: GatewayLookup = { status, gatewayRef, amountMinor: pi.amount_received || pi.amount, gatewayTxnId: chargeId(pi.latest_charge), raw: pi };
    // A declined card leaves the PaymentIntent payable with another card: not the end of it.
    if (pi.status === 'requires_payment_method' && pi.last_payment_error)
      Object.assign(result, { inconclusive: true, reason: pi.last_payment_error.code ?? 'declined' });
    if (status === 'success') {
      if (pi.amount_received !== expected.amountMinor || pi.currency.toUpperCase() !== this.currency)
        return { ...result, status: 'failed', reason: 'amount_mismatch' };
      if (pi.metadata?.intent_id !== expected.intentId) return { ...result, status: 'failed', reason: 'intent_mismatch' };
    }
    return result;
  }

  /** Cancels an unpaid PaymentIntent (on our expiry or the user's cancel) so it can no longer be paid. */
  async cancel(gatewayRef: string): Promise<GatewayPaymentStatus> {
    try {
      return intentStatus(await (await this.client()).paymentIntents.cancel(gatewayRef, { cancellation_reason: 'abandoned' }));
    } catch (err) {
      const e = err as { code?: string };
      if (e?.code === 'payment_intent_unexpected_state') {
        return intentStatus(
          await (await this.client()).paymentIntents.retrieve(gatewayRef).catch((e2) => {
            throw toGatewayError(e2, 'retrieve');
          }),
        );
      }
      throw toGatewayError(err, `cancel ${gatewayRef}`);
    }
  }

  /** A webhook: Stripe-Signature checked by the SDK over the raw body (tolerance 300 s by default). */
  async verifyNotification(n: IncomingNotification): Promise<VerifiedNotification> {
    const header = n.headers['stripe-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!n.rawBody || !signature) throw new InvalidNotificationError('stripe webhook without raw body or Stripe-Signature');
    let event: Stripe.Event;
    try {
      event = (await this.client()).webhooks.constructEvent(n.rawBody, signature, this.opts.webhookSecret, this.opts.toleranceSeconds);
    } catch (err) {
      throw new InvalidNotificationError(`stripe signature: ${(err as Error).message}`);
    }
    return describeEvent(event);
  }

  async refund(input: { gatewayRef: string; gatewayTxnId?: string | null; amountMinor: number; idempotencyKey: string; reference?: string }) {
    let refund: Stripe.Refund;
    try {
      refund = await (
        await this.client()
      ).refunds.create(
        {
          payment_intent: input.gatewayRef,
          amount: input.amountMinor,
          reason: 'requested_by_customer',
          ...(input.reference ? { metadata: { refund_id: input.reference } } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (err) {
      throw toGatewayError(err, `refund ${input.gatewayRef}`);
    }
    return { refundId: refund.id, status: refundStatus(refund.status) };
  }

  async refundStatus(gatewayRefundId: string) {
    try {
      return refundStatus((await (await this.client()).refunds.retrieve(gatewayRefundId)).status);
    } catch (err) {
      throw toGatewayError(err, `retrieve ${gatewayRefundId}`);
    }
  }
}

function refundStatus(s: string | null): 'pending' | 'succeeded' | 'failed' {
  return s === 'succeeded' ? 'succeeded' : s === 'failed' || s === 'canceled' ? 'failed' : 'pending';
}

/** What an event means for our payment: its PaymentIntent status, a refund, or nothing we act on. */
export function describeEvent(event: Stripe.Event): VerifiedNotification {
  const object = event.data.object as unknown as Record<string, unknown> & { id: string; object: string };
  const base = { eventId: event.id, gatewayEvent: event.type };
  if (object.object === 'payment_intent') {
    const pi = object as unknown as Stripe.PaymentIntent;
    return {
      ...base,
      kind: 'payment',
      gatewayRef: pi.id,
      intentId: pi.metadata?.intent_id,
      status: intentStatus(pi),
      amountMinor: pi.status === 'succeeded' ? pi.amount_received : pi.amount,
      gatewayTxnId: chargeId(pi.latest_charge),
    };
  }
  if (object.object === 'charge' && event.type === 'charge.refunded') {
    const ch = object as unknown as Stripe.Charge;
    return {
      ...base,
      kind: 'payment',
      gatewayRef: String(ch.payment_intent ?? ''),
      intentId: ch.metadata?.intent_id,
      status: 'refunded',
      amountMinor: ch.amount,
      gatewayTxnId: ch.id,
      charge: { chargeId: ch.id, amountRefundedMinor: ch.amount_refunded },
    };
  }
  if (object.object === 'dispute') {
    const dp = object as unknown as Stripe.Dispute;
    return {
      ...base,
      kind: 'dispute',
      gatewayRef: String(dp.payment_intent ?? ''),
      status: 'refunded',
      amountMinor: dp.amount,
      gatewayTxnId: chargeId(dp.charge as string | Stripe.Charge | null),
      dispute: { disputeId: dp.id, amountMinor: dp.amount, reason: String(dp.reason) },
    };
  }
  if (object.object === 'refund') {
    const re = object as unknown as Stripe.Refund;
    const status = refundStatus(re.status);
    return {
      ...base,
      kind: 'refund',
      gatewayRef: String(re.payment_intent ?? ''),
      status: status === 'succeeded' ? 'refunded' : 'pending',
      amountMinor: re.amount,
      gatewayTxnId: chargeId(re.charge as string | Stripe.Charge | null),
      refund: { refundId: re.id, status, amountMinor: re.amount, reference: re.metadata?.refund_id ?? null },
    };
  }
  return { ...base, kind: 'other', gatewayRef: String(object.id ?? ''), status: 'pending' };
}
