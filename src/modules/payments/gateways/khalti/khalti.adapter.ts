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
import { requestJson, trimBase, unexpected, type JsonResponse } from '../http';
import {
  KHALTI_PATHS,
  KHALTI_STATUSES,
  type KhaltiInitiateRequest,
  type KhaltiInitiateResponse,
  type KhaltiLookupResponse,
  type KhaltiStatus,
} from './khalti.protocol';

export interface KhaltiAdapterOptions {
  /** Origin of the API: https://khalti.com, https://dev.khalti.com, or the local sandbox. */
  baseUrl: string;
  secretKey: string;
  /** website_url Khalti requires; defaults to the origin of each session's return URL. */
  websiteUrl?: string;
  timeoutMs?: number;
}

const STATUS_MAP: Record<KhaltiStatus, GatewayPaymentStatus> = {
  Completed: 'success',
  Pending: 'pending', // Khalti holds it: do not deliver, keep asking
  Initiated: 'pending',
  Refunded: 'refunded',
  'Partially Refunded': 'refunded',
  Expired: 'expired',
  'User canceled': 'canceled',
};

/** Khalti KPG-2. Amounts are paisa on both sides; the return_url callback is unsigned, so it is confirmed by lookup. */
export class KhaltiGateway implements PaymentGateway {
  readonly name = 'khalti' as const;
  readonly currency = 'NPR';
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: KhaltiAdapterOptions) {
    this.baseUrl = trimBase(opts.baseUrl);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  private call(path: string, json: unknown): Promise<JsonResponse> {
    return requestJson('khalti', {
      method: 'POST',
      url: `${this.baseUrl}${path}`,
      json,
      timeoutMs: this.timeoutMs,
      headers: { Authorization: `Key ${this.opts.secretKey}` },
    });
  }

  async createSession(input: CreateSessionInput): Promise<GatewaySession> {
    if (input.currency.toUpperCase() !== 'NPR') throw new GatewayError(`khalti: only NPR, not ${input.currency}`, 'khalti', false);
    const body: KhaltiInitiateRequest = {
      return_url: input.returnUrl,
      website_url: this.opts.websiteUrl ?? new URL(input.returnUrl).origin,
      amount: input.amountMinor,
      purchase_order_id: input.intentId,
      purchase_order_name: input.description,
      ...(input.customer ? { customer_info: input.customer } : {}),
    };
    // Khalti takes no idempotency key and has no lookup by order id: an initiate whose answer was
    // lost (a timeout, a 5xx) may have opened a pidx we cannot see, so it is never retried — a
    // retry would leave two live pidx for one intent. The intent fails; the payer starts a new one.
    const res = await this.call(KHALTI_PATHS.initiate, body).catch((err: GatewayError) => {
      throw new GatewayError(`${err.message} (not retried: Khalti initiate is not idempotent)`, 'khalti', false, undefined, 'initiate_outcome_unknown');
    });
    if (res.status >= 500)
      throw new GatewayError(unexpected('khalti', 'initiate', res).message, 'khalti', false, res.status, 'initiate_outcome_unknown', res.body);
    if (res.status !== 200) throw unexpected('khalti', 'initiate', res, errorKey(res.body));
    const r = res.body as KhaltiInitiateResponse;
    return { gatewayRef: r.pidx, paymentUrl: r.payment_url, expiresAt: r.expires_at, extra: { expires_in: r.expires_in } };
  }

  async lookup(gatewayRef: string, expected: { intentId: string; amountMinor: number }): Promise<GatewayLookup> {
    const res = await this.call(KHALTI_PATHS.lookup, { pidx: gatewayRef });
    const body = res.body as Partial<KhaltiLookupResponse> | null;
    // Expired and User canceled come back as HTTP 400 with a normal lookup body.
    if (!body || typeof body !== 'object' || !KHALTI_STATUSES.includes(body.status as KhaltiStatus) || (res.status !== 200 && res.status !== 400)) {
      throw unexpected('khalti', 'lookup', res, errorKey(body));
    }
    const result: GatewayLookup = {
      status: STATUS_MAP[body.status as KhaltiStatus],
      gatewayRef,
      amountMinor: body.total_amount,
      gatewayTxnId: body.transaction_id ?? null,
      raw: body,
    };
    if (result.status === 'success' && body.total_amount !== expected.amountMinor) {
      return { ...result, status: 'failed', reason: 'amount_mismatch' };
    }
    return result;
  }

  /**
   * The return_url GET (or any body carrying pidx). Khalti does not sign it, so the only thing
   * trusted from it is which pidx to ask about; status, amount and transaction id come from lookup.
   * `intentId` is left out on purpose: resolve the intent by gatewayRef (pidx) from your records.
   */
  async verifyNotification(n: IncomingNotification): Promise<VerifiedNotification> {
    const source = { ...(n.body && typeof n.body === 'object' ? (n.body as Record<string, unknown>) : {}), ...(n.query ?? {}) };
    const pidx = source.pidx;
    if (typeof pidx !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(pidx)) throw new InvalidNotificationError('khalti callback without a valid pidx');
    // A network failure here throws GatewayError (retryable): the callback is not proven invalid.
    const res = await this.call(KHALTI_PATHS.lookup, { pidx });
    if (res.status === 404) throw new InvalidNotificationError(`khalti does not know pidx ${pidx}`);
    const body = res.body as Partial<KhaltiLookupResponse> | null;
    if (!body || !KHALTI_STATUSES.includes(body.status as KhaltiStatus)) throw unexpected('khalti', 'lookup', res, errorKey(body));
    const status = STATUS_MAP[body.status as KhaltiStatus];
    return {
      eventId: `khalti:${pidx}:${body.status}`,
      gatewayRef: pidx,
      status,
      amountMinor: body.total_amount,
      gatewayTxnId: body.transaction_id ?? null,
      kind: 'payment',
      gatewayEvent: `return_url:${String(source.status ?? '')}`,
    };
  }

  /**
   * Wallet refund by transaction id (amount in paisa). Khalti has no idempotency key: a retried full
   * refund that Khalti refuses because the payment is already Refunded is reported as succeeded.
   */
  async refund(input: { gatewayRef: string; gatewayTxnId?: string | null; amountMinor: number; idempotencyKey: string }) {
    let txn = input.gatewayTxnId;
    if (!txn) {
      const res = await this.call(KHALTI_PATHS.lookup, { pidx: input.gatewayRef });
      txn = (res.body as Partial<KhaltiLookupResponse> | null)?.transaction_id ?? null;
      if (!txn) throw new GatewayError(`khalti: pidx ${input.gatewayRef} has no transaction to refund`, 'khalti', false, res.status);
    }
    const res = await this.call(KHALTI_PATHS.refund(txn), { amount: input.amountMinor });
    if (res.status === 400) {
      const check = await this.call(KHALTI_PATHS.lookup, { pidx: input.gatewayRef });
      const b = check.body as Partial<KhaltiLookupResponse> | null;
      if (b?.status === 'Refunded' && b.total_amount === input.amountMinor)
        return { refundId: `khalti-refund:${txn}:${input.idempotencyKey}`, status: 'succeeded' as const };
    }
    if (res.status !== 200) throw unexpected('khalti', 'refund', res, errorKey(res.body));
    return { refundId: `khalti-refund:${txn}:${input.idempotencyKey}`, status: 'succeeded' as const };
  }
}

function errorKey(body: unknown): string | undefined {
  const b = body as { error_key?: unknown; status_code?: unknown } | null;
  if (typeof b?.error_key === 'string') return b.error_key;
  return b?.status_code === 401 ? 'unauthorized' : undefined;
}
