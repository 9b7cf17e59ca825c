import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { OTP_DIGITS } from '../rules/otp';

/** A uniformly random 6-digit code (crypto RNG). Only ever held in memory while it is sent. */
export function generateOtpCode(digits: number = OTP_DIGITS): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/** The keyed hash a code is stored and compared under; bound to its challenge. */
export function hashOtpCode(secret: string, challengeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${challengeId}:${code}`).digest('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A fresh opaque bearer token and the hash that is stored instead of it. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}
