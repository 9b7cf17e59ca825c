import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { requestContext } from '../../context';
import { Errors } from '../errors';

export interface AuthUser {
  id: string;
  role: string;
}

export type AuthLevel = 'none' | 'user' | 'admin';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** Signs an access token; the identity issue adds sessions, refresh and revocation on top. */
export function signAccessToken(secret: string, user: AuthUser, expiresInSeconds = 15 * 60): string {
  return jwt.sign({ role: user.role }, secret, { subject: user.id, expiresIn: expiresInSeconds, algorithm: 'HS256' });
}

/** Verifies the bearer token for routes that need one; 401 without a valid token, 403 without the role. */
export function authGuard(secret: string, level: AuthLevel) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (level === 'none') return next();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) return next(Errors.unauthorized());
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    } catch {
      return next(Errors.unauthorized('Invalid or expired token'));
    }
    req.user = { id: String(payload.sub), role: String(payload.role ?? 'customer') };
    const ctx = requestContext.getStore();
    if (ctx) Object.assign(ctx, { userId: req.user.id, role: req.user.role });
    if (level === 'admin' && req.user.role !== 'admin') return next(Errors.forbidden());
    next();
  };
}
