import type { Request, RequestHandler } from 'express';
import { AppError } from '../../../kernel/errors';
import { authenticateStation } from '../../../modules/dispensing';
import { ADMIN_ROLES, createAccessVerifier } from '../../../modules/identity';
import type { ApiDeps } from '../../deps';
import { authGuard } from '../../http/auth';

declare module 'express-serve-static-core' {
  interface Request {
    stationId?: string;
  }
}

/** Station endpoints: a signed request of a known station (X-Station-Id, X-Timestamp, X-Signature over the exact request). */
export function stationGuard(deps: ApiDeps): RequestHandler {
  return (req: Request, _res, next) => {
    authenticateStation(deps.orm, deps.config.WATER_STATION_SECRET, {
      headers: {
        'x-station-id': req.header('x-station-id'),
        'x-timestamp': req.header('x-timestamp'),
        'x-nonce': req.header('x-nonce'),
        'x-signature': req.header('x-signature'),
      },
      method: req.method,
      path: req.originalUrl,
      body: req.rawBody,
    })
      .then((id) => {
        req.stationId = id;
        next();
      })
      .catch(next);
  };
}

/** The station named in the body or query must be the one that signed. */
export function sameStation(req: Request, named: string): string {
  if (req.stationId !== named) throw new AppError('STATION_MISMATCH', 'stationId does not match the signing station', 403);
  return named;
}

/** An admin's bearer token (second factor verified in the session). */
export const adminGuard = (deps: ApiDeps): RequestHandler => authGuard(createAccessVerifier({ orm: deps.orm, config: deps.config }), 'admin');

/** Who may see a full phone number: a valid admin token marks the request (`req.user`); anyone else goes on as anonymous. */
export function optionalAdmin(deps: ApiDeps): RequestHandler {
  const admin = adminGuard(deps);
  return (req, res, next) => {
    if (!req.header('authorization')) return next();
    void admin(req, res, (err?: unknown) => {
      if (err) req.user = undefined;
      next();
    });
  };
}

export const isAdmin = (req: Request) => req.user !== undefined && ADMIN_ROLES.has(req.user.role);

/** `POST /otp/generate`: a station's signed request, or an admin's bearer token (second factor verified in the session). */
export function stationOrAdminGuard(deps: ApiDeps): RequestHandler {
  const station = stationGuard(deps);
  const admin = adminGuard(deps);
  return (req, res, next) => (req.header('x-station-id') || !req.header('authorization') ? station(req, res, next) : admin(req, res, next));
}
