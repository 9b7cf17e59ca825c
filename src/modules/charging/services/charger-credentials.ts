import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** A charger's Basic-auth password (OCPP 1.6 security profile 1), stored as `scrypt$salt$hash`. */
export function hashChargerPassword(password: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `scrypt$${salt}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

export function verifyChargerPassword(password: Buffer | string | undefined, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || password === undefined) return false;
  const given = scryptSync(password, salt, 32);
  const expected = Buffer.from(hash, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A new charger id in the seed's shape (24 hex characters). */
export const newChargerId = () => randomBytes(12).toString('hex');
