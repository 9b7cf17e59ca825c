import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../../kernel/context';
import { AppError, Errors } from '../../kernel/errors';
import { verifyAccessToken, type AccessVerifier, type SessionState } from '../../modules/identity';

export interface AuthUser {
  id: string;
  role: string;
  /** The session (auth_sessions.id) the access token belongs to. */
  sid?: string;
}

export type AuthLevel = 'none' | 'user' | 'admin' | 'super_admin';

/** Roles that pass `auth: 'admin'`. Staff roles added later decide here whether they do. */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin', 'super_admin']);
/** Roles that pass `auth: 'super_admin'` (issuing coupons, seed 001). */
export const SUPER_ADMIN_ROLES: ReadonlySet<string> = new Set(['super_admin']);

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** Bearer token from the Authorization header, if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Verifies the bearer token for routes that need one, then checks its session in the database
 * (one primary-key lookup) so a logged-out or revoked session stops working at once.
 * 401 without a valid token or live session, 403 without the role or for a disabled account.
 */
export function authGuard(verifier: AccessVerifier, level: AuthLevel) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (level === 'none') return next();
    const token = bearerToken(req);
    if (!token) return next(Errors.unauthorized());
    const claims = verifyAccessToken(verifier.secret, token);
    if (!claims.ok) return next(Errors.unauthorized(claims.reason === 'invalid' ? 'Invalid or expired token' : 'Not an access token'));
    let session: SessionState | undefined;
    try {
      session = await verifier.loadSession(claims.sid);
    } catch (err) {
      return next(err);
    }
    // A banned or suspended account is told so on every request, even with the session its ban ended.
    const disabled = session && session.userId === claims.userId && session.userStatus !== 'active' && session.userStatus !== 'deleted';
    if (disabled) return next(new AppError('ACCOUNT_DISABLED', `This account is ${session!.userStatus}`, 403));
    if (!session || session.revoked || session.userId !== claims.userId || session.userStatus === 'deleted') {
      return next(new AppError('SESSION_REVOKED', 'This session has ended; log in again', 401));
    }
    req.user = { id: session.userId, role: session.role, sid: claims.sid };
    const ctx = requestContext.getStore();
    if (ctx) Object.assign(ctx, { userId: req.user.id, role: req.user.role });
    if (level === 'admin' && !ADMIN_ROLES.has(req.user.role)) return next(Errors.forbidden());
    if (level === 'super_admin' && !SUPER_ADMIN_ROLES.has(req.user.role)) return next(Errors.forbidden('Only a super admin may do this'));
    next();
  };
}
export type { AccessVerifier, SessionState } from '../../modules/identity';
