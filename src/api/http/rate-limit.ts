import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Config, RATE_LIMIT_NAMES } from '../../config';
import { AppError } from '../../kernel/errors';
import { PgRateLimitStore } from '../../modules/identity';

/**
 * A per-client-IP limit with the standard headers (`RateLimit`, `RateLimit-Policy`, IETF draft 8)
 * and `Retry-After` once exceeded; the refusal goes through the surface's error envelope as
 * RATE_LIMIT_EXCEEDED (429). Counters live in PostgreSQL, shared by every replica.
 * The client IP is `req.ip` (X-Forwarded-For is trusted only from TRUST_PROXY).
 */
export function ipRateLimit(orm: MikroORM, opts: { name: string; limit: number; windowSeconds: number; message: string }): RateLimitRequestHandler {
  return counted(orm, { ...opts, store: `${opts.name}:` });
}

/** The same limit per authenticated user (the route's token; requests without one are not counted here). */
export function userRateLimit(orm: MikroORM, opts: { name: string; limit: number; windowSeconds: number; message: string }): RateLimitRequestHandler {
  return counted(orm, { ...opts, name: `${opts.name}-user`, store: `${opts.name}:user:`, key: (req) => req.user?.id });
}

/** One fixed-window limiter over rate_limit_counters; `key` (default: the client IP) picks the counter, undefined skips it. */
function counted(
  orm: MikroORM,
  opts: { name: string; store: string; limit: number; windowSeconds: number; message: string; key?: (req: Request) => string | undefined },
): RateLimitRequestHandler {
  const key = opts.key;
  return rateLimit({
    windowMs: opts.windowSeconds * 1000,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    // X-Forwarded-For without a trusted proxy is expected (TRUST_PROXY=false): it is ignored, not a misconfiguration.
    validate: { xForwardedForHeader: false },
    store: new PgRateLimitStore(orm, opts.store),
    ...(key ? { keyGenerator: (req: Request) => key(req) ?? '', skip: (req: Request) => !key(req) } : {}),
    handler: (_req, res, next) => {
      const retryAfter = Number(res.getHeader('Retry-After') ?? opts.windowSeconds);
      next(new AppError('RATE_LIMIT_EXCEEDED', opts.message, 429, { retry_after_seconds: retryAfter, limit: opts.limit, window_seconds: opts.windowSeconds }));
    },
  });
}

export type LimitName = (typeof RATE_LIMIT_NAMES)[number];
type Scope = 'ip' | 'user';
type Window = { limit: number; windowSeconds: number };

const w = (limit: number, windowSeconds: number): Window => ({ limit, windowSeconds });
/**
 * Defaults, per client IP and per user. The per-IP ones are generous: mobile carriers put many
 * customers behind one address (CGNAT). Override any with RATE_LIMITS (`login.ip=10/900`).
 */
export const DEFAULT_RATE_LIMITS: Record<LimitName, Partial<Record<Scope, Window>>> = {
  login: { ip: w(60, 900) },
  register: { ip: w(30, 3600) },
  refresh: { ip: w(300, 900), user: w(30, 900) },
  upload: { ip: w(120, 3600), user: w(30, 3600) },
  topup: { ip: w(120, 3600), user: w(20, 3600) },
  refund: { ip: w(60, 3600), user: w(10, 86_400) },
  referral: { ip: w(60, 3600), user: w(20, 3600) },
  webhook: { ip: w(600, 60) },
};

/** The limits in force: the defaults with RATE_LIMITS applied. */
export function resolveRateLimits(overrides: string): Record<LimitName, Partial<Record<Scope, Window>>> {
  const limits = structuredClone(DEFAULT_RATE_LIMITS);
  for (const part of overrides.split(',').filter(Boolean)) {
    // Checked by the config schema: name.scope=limit/seconds, a known name.
    const [, name, scope, limit, seconds] = /^([a-z-]+)\.(ip|user)=(\d+)\/(\d+)$/.exec(part)!;
    limits[name as LimitName][scope as Scope] = w(Number(limit), Number(seconds));
  }
  return limits;
}

/**
 * The limiters of one kind of request, per client IP and per user (the authenticated caller, or
 * `userOf(req)` for routes that learn the user otherwise). Put them in a route's `limits`: they
 * run after its auth guard, before the body is read.
 */
export function rateLimits(
  deps: { orm: MikroORM; config: Pick<Config, 'RATE_LIMITS'> },
  name: LimitName,
  userOf: (req: Request) => string | undefined = (req) => req.user?.id,
): RequestHandler[] {
  const limits = resolveRateLimits(deps.config.RATE_LIMITS)[name];
  const message = `Too many ${name} requests; try again later`;
  const handlers: RequestHandler[] = [];
  if (limits.ip) handlers.push(counted(deps.orm, { name: `${name}-ip`, store: `${name}:ip:`, ...limits.ip, message }));
  if (limits.user) handlers.push(counted(deps.orm, { name: `${name}-user`, store: `${name}:user:`, ...limits.user, message, key: userOf }));
  return handlers;
}
