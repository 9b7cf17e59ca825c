import type { MikroORM } from '@mikro-orm/postgresql';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { AppError } from '../../kernel/errors';
import { PgRateLimitStore } from '../../modules/identity';

/**
 * A per-client-IP limit with the standard headers (`RateLimit`, `RateLimit-Policy`, IETF draft 8)
 * and `Retry-After` once exceeded; the refusal goes through the surface's error envelope as
 * RATE_LIMIT_EXCEEDED (429). Counters live in PostgreSQL, shared by every replica.
 * The client IP is `req.ip` (the app trusts X-Forwarded-For only from a loopback proxy).
 */
export function ipRateLimit(orm: MikroORM, opts: { name: string; limit: number; windowSeconds: number; message: string }): RateLimitRequestHandler {
  return rateLimit({
    windowMs: opts.windowSeconds * 1000,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    store: new PgRateLimitStore(orm, `${opts.name}:`),
    handler: (_req, res, next) => {
      const retryAfter = Number(res.getHeader('Retry-After') ?? opts.windowSeconds);
      next(new AppError('RATE_LIMIT_EXCEEDED', opts.message, 429, { retry_after_seconds: retryAfter, limit: opts.limit, window_seconds: opts.windowSeconds }));
    },
  });
}
