/**
 * The port every payment gateway adapter implements (Khalti, eSewa, Stripe; later M-Pesa,
 * Paystack, QPay). Amounts cross this boundary in integer minor units of `currency`; each adapter
 * converts to its gateway's own unit (Khalti paisa, eSewa rupee strings, Stripe smallest unit).
 * Each adapter talks to a configurable base URL: the real gateway, or its local sandbox.
 */
export type GatewayName = 'khalti' | 'esewa' | 'stripe';

export type GatewayPaymentStatus = 'pending' | 'success' | 'failed' | 'canceled' | 'expired' | 'refunded';

export interface CreateSessionInput {
  /** Our payment intent id; the gateway's merchant order id / transaction uuid / metadata. */
  intentId: string;
  amountMinor: number;
  currency: string;
  description: string;
  /** Where the payer's browser returns (Khalti return_url, eSewa success/failure, Stripe return_url). */
  returnUrl: string;
  /** eSewa only: where the browser goes on failure/cancel; defaults to returnUrl with `status=failed`. */
  failureUrl?: string;
  customer?: { name?: string; email?: string; phone?: string };
  /** Idempotency key for gateways that honour one (Stripe). */
  idempotencyKey: string;
}

export interface GatewaySession {
  /** The gateway's id for this payment (Khalti pidx, eSewa transaction_uuid, Stripe pi_…). */
  gatewayRef: string;
  /**
   * Where the payer goes to pay, for gateways with a payment page (Khalti, eSewa, Stripe). Absent
   * where the payment happens elsewhere: a prompt on the payer's phone (M-Pesa STK push) or a QR
   * code and bank-app deep links (QPay, in `extra`).
   */
  paymentUrl?: string;
  expiresAt?: string;
  /** Anything else the client needs (eSewa form fields, Stripe client_secret). */
  extra?: Record<string, unknown>;
}

export interface GatewayLookup {
  status: GatewayPaymentStatus;
  gatewayRef: string;
  amountMinor?: number;
  /** The gateway's transaction id once paid (Khalti transaction_id, eSewa ref_id, Stripe charge). */
  gatewayTxnId?: string | null;
  /** Why a paid-looking payment is reported as failed, e.g. 'amount_mismatch', 'intent_mismatch'. */
  reason?: string;
  /**
   * The answer does not settle the payment either way, whatever `status` says: eSewa's NOT_FOUND
   * (no form posted yet, or a session that lapsed: the payer can still post it), Stripe's first
   * decline (`requires_payment_method` with `last_payment_error`: the payer can try another card).
   * Only our own TTL ends such an intent.
   */
  inconclusive?: boolean;
  raw?: unknown;
}

/** A callback or webhook after its authenticity was checked. */
export interface VerifiedNotification {
  /** Stable id for de-duplication (Stripe event id; otherwise gateway ref + status). */
  eventId: string;
  gatewayRef: string;
  intentId?: string;
  status: GatewayPaymentStatus;
  amountMinor?: number;
  gatewayTxnId?: string | null;
  /**
   * 'payment' (status is the payment's), 'refund' (see `refund`), or 'other' (an event we do not
   * act on: acknowledge it and ignore it). Absent means 'payment'.
   */
  kind?: 'payment' | 'refund' | 'dispute' | 'other';
  /** `reference`: our refund id where we made it (Stripe metadata), absent for a refund made in the gateway's dashboard. */
  refund?: { refundId: string; status: 'pending' | 'succeeded' | 'failed'; amountMinor: number; reference?: string | null };
  /** A charge refunded at the gateway: how much of it is refunded in all (Stripe `charge.refunded`). */
  charge?: { chargeId: string; amountRefundedMinor: number };
  /** A chargeback opened by the payer's bank (Stripe `charge.dispute.created`). */
  dispute?: { disputeId: string; amountMinor: number; reason: string };
  /** The gateway's event type or callback status, for logs. */
  gatewayEvent?: string;
}

export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
  body?: unknown;
  query?: Record<string, unknown>;
}

export class InvalidNotificationError extends Error {
  readonly type = 'InvalidNotification';
}

/**
 * A gateway call that did not succeed. `retryable` is true for network errors, timeouts, 5xx and
 * outage bodies; false for 4xx (bad key, validation, unknown reference, idempotency conflict).
 */
export class GatewayError extends Error {
  readonly type = 'GatewayError';
  constructor(
    message: string,
    readonly gateway: GatewayName,
    readonly retryable: boolean,
    readonly httpStatus?: number,
    /** The gateway's error code where it has one (Khalti error_key, Stripe error code/type). */
    readonly code?: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface PaymentGateway {
  readonly name: GatewayName;
  readonly currency: string;
  createSession(input: CreateSessionInput): Promise<GatewaySession>;
  /** Asks the gateway for the truth; callbacks are only hints. */
  lookup(gatewayRef: string, expected: { intentId: string; amountMinor: number }): Promise<GatewayLookup>;
  /** Checks authenticity with the gateway's real scheme; throws InvalidNotificationError. */
  verifyNotification(n: IncomingNotification): Promise<VerifiedNotification>;
  /**
   * Makes an unpaid session unpayable where the gateway can (Stripe: cancel the PaymentIntent);
   * returns the status afterwards (e.g. 'success' when it was paid first). Undefined elsewhere.
   */
  cancel?(gatewayRef: string): Promise<GatewayPaymentStatus>;
  /** Refunds through the gateway where it can; undefined where it has no refund API. */
  refund?(input: {
    gatewayRef: string;
    gatewayTxnId?: string | null;
    amountMinor: number;
    idempotencyKey: string;
    /** Our refund id, kept with the gateway's refund where it can (Stripe metadata `refund_id`). */
    reference?: string;
  }): Promise<{ refundId: string; status: 'pending' | 'succeeded' | 'failed' }>;
  /** Where refunds settle later (Stripe `pending`): the refund's status now. */
  refundStatus?(gatewayRefundId: string): Promise<'pending' | 'succeeded' | 'failed'>;
}
