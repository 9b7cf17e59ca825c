import { minorToJavaDoubleString, rupeeStringToMinor } from '../amounts';
import { randomId } from '../sandbox/ids';
import type { SandboxClock } from '../sandbox/clock';
import { ESEWA_FORM_FIELD_NAMES, type EsewaFormFields, type EsewaStatus, type EsewaStatusResponse } from './esewa.protocol';
import { encodeEsewaData, esewaSign, signaturesEqual, ESEWA_RESPONSE_SIGNED_FIELDS } from './esewa.signature';

export interface EsewaSandboxTxn {
  uuid: string;
  productCode: string;
  totalMinor: number;
  fields: EsewaFormFields;
  status: EsewaStatus;
  refId: string | null;
  createdAt: number;
}

/** Checks a submitted form like eSewa does; returns an error message or the parsed total. */
export function validateForm(
  body: Record<string, unknown>,
  merchants: Record<string, string>,
): { error: string } | { fields: EsewaFormFields; totalMinor: number } {
  for (const name of ESEWA_FORM_FIELD_NAMES) {
    const v = body[name];
    if (typeof v !== 'string' || v.trim() === '') return { error: `${name} is required` };
  }
  const fields = body as unknown as EsewaFormFields;
  if (!/^[A-Za-z0-9-]+$/.test(fields.transaction_uuid)) return { error: 'transaction_uuid may contain only alphanumerics and hyphen' };
  const secret = merchants[fields.product_code];
  if (!secret) return { error: 'Invalid product code' };
  let parts: number[];
  let total: number;
  try {
    parts = [fields.amount, fields.tax_amount, fields.product_service_charge, fields.product_delivery_charge].map(rupeeStringToMinor);
    total = rupeeStringToMinor(fields.total_amount);
  } catch (err) {
    return { error: `Invalid amount: ${(err as Error).message}` };
  }
  if (parts.reduce((a, b) => a + b, 0) !== total)
    return { error: 'total_amount must equal amount + tax_amount + product_service_charge + product_delivery_charge' };
  if (total <= 0) return { error: 'total_amount must be positive' };
  const names = fields.signed_field_names.split(',');
  if (!['total_amount', 'transaction_uuid', 'product_code'].every((n) => names.includes(n)))
    return { error: 'signed_field_names must include total_amount,transaction_uuid,product_code' };
  const expected = esewaSign(secret, fields as unknown as Record<string, string>, fields.signed_field_names);
  if (!signaturesEqual(expected, fields.signature)) return { error: 'Invalid payload signature.' };
  return { fields, totalMinor: total };
}

/** The sandbox's books and the moves a payer (or eSewa) makes. */
export class EsewaSandboxState {
  readonly txns = new Map<string, EsewaSandboxTxn>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly merchants: Record<string, string>,
    private readonly sessionTtlMs: number,
  ) {}

  /** A new session, or the same one again when the identical form is resubmitted. */
  open(fields: EsewaFormFields, totalMinor: number): { txn?: EsewaSandboxTxn; error?: string } {
    const existing = this.get(fields.transaction_uuid);
    if (existing) {
      if (existing.status !== 'PENDING' || existing.totalMinor !== totalMinor || existing.productCode !== fields.product_code) {
        return { error: 'Duplicate transaction_uuid' };
      }
      return { txn: existing };
    }
    const txn: EsewaSandboxTxn = {
      uuid: fields.transaction_uuid,
      productCode: fields.product_code,
      totalMinor,
      fields,
      status: 'PENDING',
      refId: null,
      createdAt: this.clock.now(),
    };
    this.txns.set(txn.uuid, txn);
    return { txn };
  }

  /** With lazy expiry: a PENDING session older than the TTL is gone (NOT_FOUND). */
  get(uuid: string): EsewaSandboxTxn | undefined {
    const t = this.txns.get(uuid);
    if (t && t.status === 'PENDING' && this.clock.now() - t.createdAt >= this.sessionTtlMs) t.status = 'NOT_FOUND';
    return t;
  }

  move(t: EsewaSandboxTxn, to: EsewaStatus): string | undefined {
    const allowed: Record<EsewaStatus, EsewaStatus[]> = {
      PENDING: ['COMPLETE', 'CANCELED', 'NOT_FOUND', 'AMBIGUOUS'],
      AMBIGUOUS: ['COMPLETE', 'CANCELED', 'NOT_FOUND'],
      COMPLETE: ['FULL_REFUND', 'PARTIAL_REFUND'],
      PARTIAL_REFUND: ['FULL_REFUND'],
      FULL_REFUND: [],
      NOT_FOUND: [],
      CANCELED: [],
    };
    if (!allowed[t.status].includes(to)) return `transaction is ${t.status}`;
    t.status = to;
    if (to === 'COMPLETE') t.refId = `000${randomId(4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
    return undefined;
  }

  statusBody(t: EsewaSandboxTxn): EsewaStatusResponse {
    return {
      product_code: t.productCode,
      transaction_uuid: t.uuid,
      total_amount: Number(minorToJavaDoubleString(t.totalMinor)),
      status: t.status,
      ref_id: t.refId,
    };
  }

  /** success_url?data=<base64 JSON signed over transaction_code,status,total_amount,transaction_uuid,product_code,signed_field_names>. */
  successRedirect(t: EsewaSandboxTxn): string {
    const values: Record<string, string> = {
      transaction_code: t.refId ?? '',
      status: 'COMPLETE',
      total_amount: minorToJavaDoubleString(t.totalMinor),
      transaction_uuid: t.uuid,
      product_code: t.productCode,
      signed_field_names: ESEWA_RESPONSE_SIGNED_FIELDS,
    };
    values.signature = esewaSign(this.merchants[t.productCode], values, ESEWA_RESPONSE_SIGNED_FIELDS);
    const url = new URL(t.fields.success_url);
    url.searchParams.set('data', encodeEsewaData(values));
    return url.toString();
  }

  /** What eSewa appends to failure_url is unconfirmed: the sandbox sends the browser there unchanged. */
  failureRedirect(t: EsewaSandboxTxn): string {
    return t.fields.failure_url;
  }
}
