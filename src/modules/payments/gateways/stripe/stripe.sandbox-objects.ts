import { randomId } from '../sandbox/ids';

/** The Stripe objects the sandbox keeps, in the API's JSON shape (subset of fields, same names). */
export type PaymentIntentStatus =
  'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'canceled';

export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
  payment_intent?: PaymentIntentObject;
}

export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: { enabled: boolean } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: StripeErrorBody | null;
  latest_charge: string | ChargeObject | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  status: PaymentIntentStatus;
}

export interface ChargeObject {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Record<string, string>;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface RefundObject {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: RefundStatus;
}

/** A chargeback the cardholder's bank opened (the money is withdrawn from the merchant at once). */
export interface DisputeObject {
  id: string;
  object: 'dispute';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  payment_intent: string;
  reason: string;
  status: 'needs_response' | 'under_review' | 'won' | 'lost';
}

export interface StripeEventObject {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: PaymentIntentObject | ChargeObject | RefundObject | DisputeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export const stripeId = (prefix: string) => `${prefix}_${randomId(24)}`;

/** Server-side test payment methods (docs.stripe.com/testing) and what confirming with them does. */
export const TEST_PAYMENT_METHODS: Record<string, { outcome: 'succeeded' } | { outcome: 'declined'; decline_code: string; message: string }> = {
  pm_card_visa: { outcome: 'succeeded' },
  pm_card_mastercard: { outcome: 'succeeded' },
  pm_card_amex: { outcome: 'succeeded' },
  pm_card_chargeDeclined: { outcome: 'declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  pm_card_visa_chargeDeclined: { outcome: 'declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: { outcome: 'declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  pm_card_visa_chargeDeclinedInsufficientFunds: { outcome: 'declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
};

/** A thrown API error: HTTP status + Stripe's `{error: {...}}` body. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export const invalid = (message: string, extra: Partial<StripeErrorBody> = {}) => new StripeApiError(400, { type: 'invalid_request_error', message, ...extra });
export const missing = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'` });
