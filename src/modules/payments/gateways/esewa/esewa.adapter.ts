import { minorToRupeeString, rupeeStringToMinor } from '../amounts';
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
import { requestJson, trimBase, unexpected } from '../http';
import { ESEWA_PATHS, ESEWA_STATUSES, type EsewaFormFields, type EsewaStatus, type EsewaStatusResponse } from './esewa.protocol';
import { decodeEsewaData, esewaSign, verifyEsewaSignature, ESEWA_REQUEST_SIGNED_FIELDS } from './esewa.signature';

export interface EsewaAdapterOptions {
  /** Origin the browser form posts to: https://rc-epay.esewa.com.np (UAT), https://epay.esewa.com.np, or the sandbox. */
  formBaseUrl: string;
  /** Origin of the status check: https://rc.esewa.com.np (UAT), https://epay.esewa.com.np, or the sandbox. */
  statusBaseUrl: string;
  productCode: string;
  secretKey: string;
  timeoutMs?: number;
}

const STATUS_MAP: Record<EsewaStatus, GatewayPaymentStatus> = {
  COMPLETE: 'success',
  PENDING: 'pending',
  AMBIGUOUS: 'pending', // halted/unclear at eSewa: keep asking, never credit
  FULL_REFUND: 'refunded',
  PARTIAL_REFUND: 'refunded',
  NOT_FOUND: 'expired',
  CANCELED: 'canceled',
};

/** transaction_uuid allows alphanumerics and '-' only. */
export function toTransactionUuid(intentId: string): string {
  return intentId.replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * eSewa ePay v2. There is no server-side initiate: createSession returns the signed form the
 * payer's browser POSTs (`extra.formFields` to `paymentUrl`). Rupee strings are converted exactly.
 * No refund API exists, so `refund` is not offered.
 */
export class EsewaGateway implements PaymentGateway {
  readonly name = 'esewa' as const;
  readonly currency = 'NPR';
  readonly formUrl: string;
  readonly statusUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: EsewaAdapterOptions) {
    this.formUrl = `${trimBase(opts.formBaseUrl)}${ESEWA_PATHS.form}`;
    this.statusUrl = `${trimBase(opts.statusBaseUrl)}${ESEWA_PATHS.status}`;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** The signed form fields for an amount in paisa. */
  formFields(input: { intentId: string; amountMinor: number; successUrl: string; failureUrl: string }): EsewaFormFields {
    const total = minorToRupeeString(input.amountMinor);
    const unsigned = {
      amount: total,
      tax_amount: '0',
      product_service_charge: '0',
      product_delivery_charge: '0',
      total_amount: total,
      transaction_uuid: toTransactionUuid(input.intentId),
      product_code: this.opts.productCode,
      success_url: input.successUrl,
      failure_url: input.failureUrl,
      signed_field_names: ESEWA_REQUEST_SIGNED_FIELDS,
    };
    return { ...unsigned, signature: esewaSign(this.opts.secretKey, unsigned, ESEWA_REQUEST_SIGNED_FIELDS) };
  }

  async createSession(input: CreateSessionInput): Promise<GatewaySession> {
    if (input.currency.toUpperCase() !== 'NPR') throw new GatewayError(`esewa: only NPR, not ${input.currency}`, 'esewa', false);
    const failureUrl = input.failureUrl ?? withQuery(input.returnUrl, 'status', 'failed');
    const fields = this.formFields({ intentId: input.intentId, amountMinor: input.amountMinor, successUrl: input.returnUrl, failureUrl });
    return { gatewayRef: fields.transaction_uuid, paymentUrl: this.formUrl, extra: { method: 'POST', formAction: this.formUrl, formFields: fields } };
  }

  async lookup(gatewayRef: string, expected: { intentId: string; amountMinor: number }): Promise<GatewayLookup> {
    const url = new URL(this.statusUrl);
    url.searchParams.set('product_code', this.opts.productCode);
    url.searchParams.set('total_amount', minorToRupeeString(expected.amountMinor));
    url.searchParams.set('transaction_uuid', gatewayRef);
    const res = await requestJson('esewa', { method: 'GET', url: url.toString(), timeoutMs: this.timeoutMs });
    const body = res.body as (Partial<EsewaStatusResponse> & { error_message?: string }) | null;
    if (body && typeof body.error_message === 'string') {
      // The documented outage body: retry later.
      throw new GatewayError(`esewa: status check: ${body.error_message}`, 'esewa', true, res.status, 'unavailable', body);
    }
    if (res.status !== 200 || !body || !ESEWA_STATUSES.includes(body.status as EsewaStatus)) throw unexpected('esewa', 'status check', res);
    const status = STATUS_MAP[body.status as EsewaStatus];
    const amountMinor = body.total_amount === undefined ? undefined : rupeeStringToMinor(body.total_amount);
    const result: GatewayLookup = { status, gatewayRef, amountMinor, gatewayTxnId: body.ref_id ?? null, raw: body };
    // NOT_FOUND is also eSewa's answer for a form the payer has not posted yet: it ends nothing by itself.
    if (body.status === 'NOT_FOUND') result.inconclusive = true;
    if (status === 'success' && (amountMinor !== expected.amountMinor || body.transaction_uuid !== gatewayRef || body.product_code !== this.opts.productCode)) {
      return { ...result, status: 'failed', reason: amountMinor !== expected.amountMinor ? 'amount_mismatch' : 'reference_mismatch' };
    }
    return result;
  }

  /**
   * The success redirect: `data` (query or body) is base64 JSON signed with our secret key.
   * Verified over the raw string values; the failure redirect carries nothing to verify (use lookup).
   */
  async verifyNotification(n: IncomingNotification): Promise<VerifiedNotification> {
    const data = n.query?.data ?? (n.body as { data?: unknown } | undefined)?.data;
    if (typeof data !== 'string' || !data) throw new InvalidNotificationError('esewa callback without data');
    const decoded = decodeEsewaData(data);
    if (!decoded) throw new InvalidNotificationError('esewa data is not base64 JSON');
    if (!verifyEsewaSignature(this.opts.secretKey, decoded)) throw new InvalidNotificationError('esewa signature does not match');
    const { raw } = decoded;
    if (raw.product_code !== this.opts.productCode) throw new InvalidNotificationError(`esewa data is for product ${raw.product_code}`);
    const esewaStatus = raw.status as EsewaStatus;
    if (!ESEWA_STATUSES.includes(esewaStatus)) throw new InvalidNotificationError(`esewa status ${raw.status} is unknown`);
    let amountMinor: number;
    try {
      amountMinor = rupeeStringToMinor(raw.total_amount);
    } catch {
      throw new InvalidNotificationError(`esewa total_amount ${raw.total_amount} is not an amount`);
    }
    return {
      eventId: `esewa:${raw.transaction_uuid}:${esewaStatus}`,
      gatewayRef: raw.transaction_uuid,
      intentId: raw.transaction_uuid,
      status: STATUS_MAP[esewaStatus],
      amountMinor,
      gatewayTxnId: raw.transaction_code ?? null,
      kind: 'payment',
      gatewayEvent: `success_url:${esewaStatus}`,
    };
  }
}

function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}
