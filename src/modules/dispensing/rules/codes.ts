import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A 6-digit dispensing code (uniform, leading zeros kept). */
export const newOtpCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The keyed hash stored for a code: HMAC-SHA256(WATER_OTP_KEY, reference:code); a leaked table cannot be brute-forced without the key. */
export const otpHash = (key: string, transactionReference: string, code: string) =>
  createHmac('sha256', key).update(`${transactionReference}:${code}`).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
