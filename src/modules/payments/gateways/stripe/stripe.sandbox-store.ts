import type { SandboxClock } from '../sandbox/clock';
import {
  invalid,
  missing,
  stripeId,
  StripeApiError,
  TEST_PAYMENT_METHODS,
  type ChargeObject,
  type DisputeObject,
  type PaymentIntentObject,
  type RefundObject,
  type RefundStatus,
} from './stripe.sandbox-objects';

export type Emit = (type: string, object: PaymentIntentObject | ChargeObject | RefundObject | DisputeObject, previous?: Record<string, unknown>) => void;

const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation'];

/** PaymentIntents, charges and refunds with Stripe's state machine; every change emits its event. */
export class StripeSandboxStore {
  readonly intents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  /** return_url given at create/confirm (not part of the object, used for the browser redirect). */
  readonly returnUrls = new Map<string, string>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly emit: Emit,
  ) {}

  private now() {
    return Math.floor(this.clock.now() / 1000);
  }

  createIntent(p: {
    amount: number;
    currency: string;
    description?: string;
    metadata?: Record<string, string>;
    customer?: string;
    receipt_email?: string;
    automatic?: boolean;
    payment_method_types?: string[];
  }): PaymentIntentObject {
    const id = stripeId('pi');
    const pi: PaymentIntentObject = {
      id,
      object: 'payment_intent',
      amount: p.amount,
      amount_capturable: 0,
      amount_received: 0,
      automatic_payment_methods: p.automatic ? { enabled: true } : null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${stripeId('x').slice(2)}`,
      confirmation_method: 'automatic',
      created: this.now(),
      currency: p.currency,
      customer: p.customer ?? null,
      description: p.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: p.metadata ?? {},
      next_action: null,
      payment_method: null,
      payment_method_types: p.payment_method_types ?? ['card'],
      receipt_email: p.receipt_email ?? null,
      status: 'requires_payment_method',
    };
    this.intents.set(id, pi);
    this.emit('payment_intent.created', pi);
    return pi;
  }

  intent(id: string): PaymentIntentObject {
    const pi = this.intents.get(id);
    if (!pi) throw missing('payment_intent', id);
    return pi;
  }

  /** Attaches a payment method (status requires_confirmation) without confirming. */
  attach(pi: PaymentIntentObject, paymentMethod: string): void {
    if (!TEST_PAYMENT_METHODS[paymentMethod]) throw missing('PaymentMethod', paymentMethod, 'payment_method');
    pi.payment_method = paymentMethod;
    if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
  }

  /** Confirms with the attached (or given) test payment method: a succeeded charge, or a 402 card_error. */
  confirm(pi: PaymentIntentObject, paymentMethod?: string): PaymentIntentObject {
    if (!CONFIRMABLE.includes(pi.status)) {
      throw invalid(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`, {
        code: 'payment_intent_unexpected_state',
        payment_intent: pi,
      });
    }
    if (paymentMethod) this.attach(pi, paymentMethod);
    const pm = pi.payment_method;
    if (!pm)
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.",
        { code: 'payment_intent_unexpected_state', payment_intent: pi },
      );
    const behaviour = TEST_PAYMENT_METHODS[pm];
    const ok = behaviour.outcome === 'succeeded';
    const charge: ChargeObject = {
      id: stripeId('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: ok ? pi.amount : 0,
      amount_refunded: 0,
      captured: ok,
      created: this.now(),
      currency: pi.currency,
      failure_code: ok ? null : 'card_declined',
      failure_message: ok ? null : behaviour.message,
      livemode: false,
      metadata: pi.metadata,
      paid: ok,
      payment_intent: pi.id,
      payment_method: pm,
      refunded: false,
      status: ok ? 'succeeded' : 'failed',
    };
    this.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    if (behaviour.outcome === 'succeeded') {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      pi.last_payment_error = null;
      this.emit('charge.succeeded', charge);
      this.emit('payment_intent.succeeded', pi, { status: 'requires_confirmation' });
      return pi;
    }
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: behaviour.decline_code, message: behaviour.message, charge: charge.id };
    pi.payment_method = null;
    this.emit('charge.failed', charge);
    this.emit('payment_intent.payment_failed', pi);
    throw new StripeApiError(402, { ...pi.last_payment_error, payment_intent: pi });
  }

  cancel(pi: PaymentIntentObject, reason?: string): PaymentIntentObject {
    if (!CANCELABLE.includes(pi.status)) {
      throw invalid(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        { code: 'payment_intent_unexpected_state', payment_intent: pi },
      );
    }
    const previous = pi.status;
    pi.status = 'canceled';
    pi.canceled_at = this.now();
    pi.cancellation_reason = reason ?? null;
    this.emit('payment_intent.canceled', pi, { status: previous });
    return pi;
  }

  refund(
    p: { payment_intent?: string; charge?: string; amount?: number; reason?: string; metadata?: Record<string, string> },
    status: RefundStatus,
  ): RefundObject {
    let charge: ChargeObject | undefined;
    if (p.charge) {
      charge = this.charges.get(p.charge);
      if (!charge) throw missing('charge', p.charge, 'charge');
    } else if (p.payment_intent) {
      const pi = this.intent(p.payment_intent);
      const latest = typeof pi.latest_charge === 'string' ? pi.latest_charge : pi.latest_charge?.id;
      charge = latest ? this.charges.get(latest) : undefined;
      if (!charge || charge.status !== 'succeeded')
        throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
    } else {
      throw invalid('One of the following params should be provided for this request: payment_intent or charge.');
    }
    if (charge.refunded) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const remaining = charge.amount - charge.amount_refunded;
    const amount = p.amount ?? remaining;
    if (amount > remaining)
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, { code: 'amount_too_large', param: 'amount' });
    const refund: RefundObject = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      metadata: p.metadata ?? {},
      payment_intent: charge.payment_intent,
      reason: p.reason ?? null,
      status,
    };
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('refund.created', refund);
    this.emit('charge.refunded', charge, previous);
    return refund;
  }

  /** The cardholder's bank disputes the PaymentIntent's charge (what the dashboard shows as a chargeback). */
  dispute(piId: string, reason = 'fraudulent'): DisputeObject {
    const pi = this.intent(piId);
    const charge = typeof pi.latest_charge === 'string' ? this.charges.get(pi.latest_charge) : undefined;
    if (!charge || charge.status !== 'succeeded') throw invalid(`PaymentIntent ${piId} has no successful charge to dispute.`);
    const dispute: DisputeObject = {
      id: stripeId('dp'),
      object: 'dispute',
      amount: charge.amount - charge.amount_refunded,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      payment_intent: pi.id,
      reason,
      status: 'needs_response',
    };
    this.emit('charge.dispute.created', dispute);
    return dispute;
  }

  /** Settles a pending refund the way the card network eventually does. */
  settleRefund(id: string, to: 'succeeded' | 'failed'): RefundObject {
    const refund = this.refunds.get(id);
    if (!refund) throw missing('refund', id);
    // A succeeded card refund can still fail later (the card was closed): Stripe then sends refund.failed.
    if (refund.status !== 'pending' && !(refund.status === 'succeeded' && to === 'failed')) throw invalid(`Refund ${id} is ${refund.status}`);
    const was = refund.status;
    refund.status = to;
    if (to === 'failed') {
      const charge = this.charges.get(refund.charge)!;
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
      this.emit('refund.failed', refund, { status: was });
    }
    this.emit('refund.updated', refund, { status: was });
    return refund;
  }
}
