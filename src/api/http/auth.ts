import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { requestContext } from '../../kernel/context';
import { AppError, Errors } from '../../kernel/errors';

export interface AuthUser {
  id: string;
  role: string;
  /** The session (auth_sessions.id) the access token belongs to. */
  sid?: string;
}

export type AuthLevel = 'none' | 'user' | 'admin';

/** Roles that pass `auth: 'admin'`. Staff roles added later decide here whether they do. */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin']);

/** What the guard learns about a session from the database on every request. */
export interface SessionState {
  userId: string;
  role: string;
  userStatus: string;
  revoked: boolean;
}

export interface AccessVerifier {
  secret: string;
  loadSession(sid: string): Promise<SessionState | undefined>;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** Signs an access token for a live session: `sub`, `role`, `sid`, `typ: access`. */
export function signAccessToken(secret: string, user: AuthUser & { sid: string }, expiresInSeconds = 15 * 60): string {
  return jwt.sign({ role: user.role, sid: user.sid, typ: 'access' }, secret, { subject: user.id, expiresIn: expiresInSeconds, algorithm: 'HS256' });
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
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, verifier.secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    } catch {
      return next(Errors.unauthorized('Invalid or expired token'));
    }
    if (payload.typ !== 'access' || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') {
      return next(Errors.unauthorized('Not an access token'));
    }
    let session: SessionState | undefined;
    try {
      session = await verifier.loadSession(payload.sid);
    } catch (err) {
      return next(err);
    }
    if (!session || session.revoked || session.userId !== payload.sub || session.userStatus === 'deleted') {
      return next(new AppError('SESSION_REVOKED', 'This session has ended; log in again', 401));
    }
    if (session.userStatus !== 'active') return next(new AppError('ACCOUNT_DISABLED', `This account is ${session.userStatus}`, 403));
    req.user = { id: session.userId, role: session.role, sid: payload.sid };
    const ctx = requestContext.getStore();
    if (ctx) Object.assign(ctx, { userId: req.user.id, role: req.user.role });
    if (level === 'admin' && !ADMIN_ROLES.has(req.user.role)) return next(Errors.forbidden());
    next();
  };
}
