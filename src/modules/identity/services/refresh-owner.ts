import jwt from 'jsonwebtoken';

/**
 * The user a refresh token was issued to, if its signature and expiry check out (no database
 * look-up): what per-user rate limits of /auth/refresh count against. A forged or expired token
 * has no owner, so nobody can spend another user's allowance.
 */
export function refreshTokenOwner(secret: string, token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    return payload.typ === 'refresh' && typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
