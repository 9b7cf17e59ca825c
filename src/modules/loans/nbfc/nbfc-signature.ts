import { createHmac, timingSafeEqual } from 'node:crypto';

/** The NBFC signs each status webhook: `X-NBFC-Signature` = hex HMAC-SHA256(webhook secret, raw body). */
export const NBFC_SIGNATURE_HEADER = 'x-nbfc-signature';
export const NBFC_EVENT_HEADER = 'x-nbfc-event-id';

export const signNbfcBody = (secret: string, raw: Buffer | string) => createHmac('sha256', secret).update(raw).digest('hex');

/** Constant-time check of the signature over the exact bytes received. */
export function verifyNbfcSignature(secret: string, raw: Buffer | undefined, signature: string | undefined): boolean {
  if (!raw || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(signNbfcBody(secret, raw), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}
