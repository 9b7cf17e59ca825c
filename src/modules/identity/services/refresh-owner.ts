import { verifyWith, type TokenKeys } from './jwt-keys';

/**
 * The user a refresh token was issued to, if its signature (against the refresh key ring), issuer,
 * audience and expiry check out (no database look-up): what per-user rate limits of /auth/refresh
 * count against. A forged or expired token has no owner, so nobody can spend another user's allowance.
 */
export function refreshTokenOwner(keys: TokenKeys, token: string | undefined): string | undefined {
  if (!token) return undefined;
  const payload = verifyWith(keys, 'refresh', token);
  return payload?.typ === 'refresh' && typeof payload.sub === 'string' ? payload.sub : undefined;
}
