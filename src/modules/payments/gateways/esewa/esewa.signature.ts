import { createHmac, timingSafeEqual } from 'node:crypto';

/** eSewa ePay v2 signing (gateways.md §2): HMAC-SHA256, base64, over `name=value` pairs joined by ','. */
export const ESEWA_UAT_SECRET = '8gBm/:&EnhH.1/q';
export const ESEWA_UAT_PRODUCT_CODE = 'EPAYTEST';
export const ESEWA_REQUEST_SIGNED_FIELDS = 'total_amount,transaction_uuid,product_code';
export const ESEWA_RESPONSE_SIGNED_FIELDS = 'transaction_code,status,total_amount,transaction_uuid,product_code,signed_field_names';

/** The exact message eSewa signs: values as transmitted, in the order of signed_field_names. */
export function signatureMessage(values: Record<string, string | undefined>, signedFieldNames: string): string {
  return signedFieldNames
    .split(',')
    .map((name) => `${name}=${values[name] ?? ''}`)
    .join(',');
}

export function esewaSign(secret: string, values: Record<string, string | undefined>, signedFieldNames: string): string {
  return createHmac('sha256', secret).update(signatureMessage(values, signedFieldNames)).digest('base64');
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function encodeEsewaData(payload: Record<string, string>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

export interface DecodedEsewaData {
  /** The JSON as parsed. */
  json: Record<string, unknown>;
  /** Every field as the raw text eSewa put on the wire (numbers keep their literal, e.g. "1000.0"). */
  raw: Record<string, string>;
}

/**
 * Decodes the `data` query parameter. Strings are used as they are; a number keeps its literal
 * text from the JSON (JSON.parse would turn 1000.0 into 1000 and break the signature).
 */
export function decodeEsewaData(data: string): DecodedEsewaData | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(data)) return undefined;
  const text = Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === 'string') raw[key] = value;
    else if (typeof value === 'number') raw[key] = numberLiteral(text, key) ?? String(value);
  }
  return { json: json as Record<string, unknown>, raw };
}

function numberLiteral(text: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${escaped}"\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)`).exec(text)?.[1];
}

/** Checks a decoded response's signature with the merchant secret; the signed_field_names come from the data itself. */
export function verifyEsewaSignature(secret: string, decoded: DecodedEsewaData): boolean {
  const names = decoded.raw.signed_field_names;
  const signature = decoded.raw.signature;
  if (!names || !signature) return false;
  // Every field the response claims to sign must be present, and the payment facts must be among them.
  const list = names.split(',');
  if (!['total_amount', 'transaction_uuid', 'product_code', 'status'].every((f) => list.includes(f))) return false;
  if (!list.every((f) => decoded.raw[f] !== undefined)) return false;
  return signaturesEqual(esewaSign(secret, decoded.raw, names), signature);
}
