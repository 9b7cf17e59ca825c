/**
 * What the audit log never stores: tokens, OTP and verification codes, passwords, secrets, keys,
 * signatures, card data, and any value that looks like a JWT or a bearer token, however deep.
 */
const SECRET_KEY = /token|secret|passw|otp|^code$|_code$|^pin$|authorization|signature|api_?key|private|cvv|card_?number|credential|cookie/i;
const SECRET_VALUE = /^(Bearer\s+)?eyJ[\w-]+\.[\w-]+\.[\w-]*$/;
export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? REDACTED : value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    if (value instanceof Date) return value.toISOString();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1)]));
  }
  return value;
}
