import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../../kernel/context';
import { AppError, Errors } from '../../kernel/errors';
import { ADMIN_ROLES, STAFF_ROLES, SUPER_ADMIN_ROLES, verifyAccessToken, type AccessVerifier, type SessionState } from '../../modules/identity';

export interface AuthUser {
  id: string;
  role: string;
  /** The session (auth_sessions.id) the access token belongs to. */
  sid?: string;
}

/**
 * `admin-enrol`: an admin role, before the session's second factor (setting it up, verifying it);
 * `admin`: an admin whose session verified its second factor; `admin-step-up`: money actions, a
 * second factor within ADMIN_STEP_UP_MINUTES or a TOTP code in the `X-TOTP` header of the request;
 * `super_admin`: as `admin`, for the super admin role only (issuing coupons, seed 001).
 */
export type AuthLevel = 'none' | 'user' | 'admin-enrol' | 'admin' | 'admin-step-up' | 'super_admin';

/** Roles that pass the admin levels (identity decides: they also get the short admin sessions). */
export { ADMIN_ROLES, STAFF_ROLES, SUPER_ADMIN_ROLES };

const secondFactorRequired = () =>
  new AppError('SECOND_FACTOR_REQUIRED', 'Verify your second factor first (POST /auth/2fa/verify, or set it up at /auth/2fa/enroll)', 403);
const stepUpRequired = () =>
  new AppError('STEP_UP_REQUIRED', 'This action needs a fresh second factor: send a TOTP code in X-TOTP, or verify at POST /auth/2fa/verify', 403);

/** The admin levels' checks after the role: the session's second factor, fresh for money actions. */
async function checkSecondFactor(verifier: AccessVerifier, req: Request, session: SessionState, level: AuthLevel): Promise<void> {
  if (level === 'admin-enrol') return;
  const header = req.header('x-totp');
  if (level === 'admin-step-up' && header) return verifier.stepUp({ userId: session.userId, sid: req.user!.sid! }, header.trim());
  if (session.secondFactor === 'none') throw secondFactorRequired();
  if (level === 'admin-step-up' && session.secondFactor !== 'fresh') throw stepUpRequired();
}

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
/** Whether the role may call a route of this admin level: every staff role may enrol; admins, and the limited staff roles the route names, pass the rest. */
function roleAllowed(role: string, level: AuthLevel, alsoRoles: readonly string[]): boolean {
  if (level === 'admin-enrol') return STAFF_ROLES.has(role);
  if (level === 'super_admin') return SUPER_ADMIN_ROLES.has(role);
  return ADMIN_ROLES.has(role) || alsoRoles.includes(role);
}

export function authGuard(verifier: AccessVerifier, level: AuthLevel, alsoRoles: readonly string[] = []) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (level === 'none') return next();
    const token = bearerToken(req);
    if (!token) return next(Errors.unauthorized());
    const claims = verifyAccessToken(verifier.keys, token);
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
    if (session.expired) return next(new AppError('SESSION_EXPIRED', 'This session reached its maximum lifetime; log in again', 401));
    req.user = { id: session.userId, role: session.role, sid: claims.sid };
    const ctx = requestContext.getStore();
    if (ctx) Object.assign(ctx, { userId: req.user.id, role: req.user.role });
    if (level === 'user') return next();
    if (!roleAllowed(req.user.role, level, alsoRoles))
      return next(level === 'super_admin' && ADMIN_ROLES.has(req.user.role) ? Errors.forbidden('Only a super admin may do this') : Errors.forbidden());
    try {
      await checkSecondFactor(verifier, req, session, level);
    } catch (err) {
      return next(err);
    }
    next();
  };
}
export type { AccessVerifier, SessionState } from '../../modules/identity';
