import { rateLimit } from 'express-rate-limit';
import { PgRateLimitStore } from '../../../modules/identity';
import type { SurfaceModule } from '../types';

/** Gateways' server-to-server posts come from few addresses and must never be refused for volume. */
const GATEWAY_POSTS = new Set(['/payments/mpesa/callback', '/payments/paystack/webhook', '/sms/delivery-reports']);

/**
 * Seed 002: WATER_RATE_LIMIT (default 100 per 15 minutes) per client IP on the whole surface, with
 * X-RateLimit-Limit / -Remaining / -Reset and the seed's 429 body. Counted in PostgreSQL
 * (rate_limit_counters), so every API replica shares the count. Registered first.
 */
export const waterRateLimit: SurfaceModule = (routes, deps) => {
  const [limit, seconds] = deps.config.WATER_RATE_LIMIT.split('/').map(Number);
  routes.router.use(
    rateLimit({
      windowMs: seconds * 1000,
      limit,
      standardHeaders: false,
      legacyHeaders: true,
      identifier: 'water-ip',
      validate: { xForwardedForHeader: false },
      store: new PgRateLimitStore(deps.orm, 'water:ip:'),
      // The console's admin paths need an admin's token and second factor; its live refresh must not use up a station's budget.
      skip: (req) => GATEWAY_POSTS.has(req.path) || req.path.startsWith('/admin/'),
      handler: (_req, res) => {
        res.status(429).json({ success: false, message: 'Too many requests from this IP, please try again later.', error: 'RATE_LIMIT_EXCEEDED' });
      },
    }),
  );
};
