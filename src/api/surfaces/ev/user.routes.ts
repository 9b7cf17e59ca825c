import { z } from 'zod';
import { anchored, MONGOLIAN_MOBILE_PATTERN, OtpRetryLaterError } from '../../../modules/identity';
import { EvLoginService } from '../../../modules/charging';
import { ipRateLimit } from '../../http/rate-limit';
import type { SurfaceModule } from '../types';

const Phone = z
  .string()
  .regex(anchored(MONGOLIAN_MOBILE_PATTERN), 'must be a Mongolian mobile number')
  .openapi({ description: 'Mongolian mobile, with or without +976', example: '+976 8666 1488' });

const OtpCheckBody = z.object({ phone: Phone, code: z.string().regex(/^\d{4,8}$/, 'must be the code from the SMS') }).openapi('EvOtpCheck');

const SignedIn = z
  .object({
    token: z.string().openapi({ description: 'Bearer access token (ACCESS_TOKEN_TTL_SECONDS)' }),
    profile: z.object({ name: z.string(), email: z.string(), phone: z.string(), balance: z.number().openapi({ description: 'Wallet, MNT' }) }),
    nats: z.object({
      servers: z.string().openapi({ description: 'NATS WebSocket URL' }),
      topic: z.string().openapi({ description: 'Subscribe here; messages are JSON' }),
      user: z.string(),
      pass: z.string(),
    }),
  })
  .openapi('EvSignedIn');

/** `POST /user/otp-request`, `POST /user/otp-check` (seed 000). */
export const evUserRoutes: SurfaceModule = (routes, deps) => {
  const login = new EvLoginService(deps);
  const limit = (name: string, n: number) =>
    ipRateLimit(deps.orm, {
      name,
      limit: n,
      windowSeconds: deps.config.OTP_IP_WINDOW_SECONDS,
      message: 'Too many requests from this network; try again later',
    });
  routes.router.post('/user/otp-request', limit('ev-otp-request', deps.config.OTP_IP_LIMIT));
  routes.route({
    method: 'post',
    path: '/user/otp-request',
    summary: 'Send a sign-in code by SMS',
    description: `The code has EV_OTP_DIGITS digits (default 6) and expires after OTP_TTL_SECONDS; one request per phone per OTP_RESEND_COOLDOWN_SECONDS (429 with Retry-After).`,
    tags: ['User'],
    body: z.object({ phone: Phone }).openapi('EvOtpRequest'),
    response: z.object({}).openapi('EvEmpty'),
    errors: { 429: 'RATE_LIMIT_EXCEEDED / OTP_DAILY_LIMIT / OTP_IDENTIFIER_LOCKED (Retry-After)', 503: 'OTP_UNAVAILABLE' },
    handler: async ({ body, req, res }) => {
      try {
        await login.requestCode(body.phone, req.ip);
      } catch (err) {
        if (err instanceof OtpRetryLaterError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        throw err;
      }
      return {};
    },
  });
  routes.router.post('/user/otp-check', limit('ev-otp-check', deps.config.OTP_VERIFY_IP_LIMIT));
  routes.route({
    method: 'post',
    path: '/user/otp-check',
    summary: 'Check the code: a session token, the profile and the NATS credentials of the own topic',
    description:
      'A new phone gets an account. Wrong code: 401 OTP_INVALID (details.attempts_remaining); failed codes per phone across all its codes are capped (OTP_IDENTIFIER_MAX_FAILURES a day, 429 OTP_IDENTIFIER_LOCKED).',
    tags: ['User'],
    body: OtpCheckBody,
    response: SignedIn,
    errors: {
      401: 'OTP_INVALID: wrong code (details.attempts_remaining)',
      404: 'No code was requested for this phone',
      409: 'OTP_ALREADY_USED',
      410: 'OTP_EXPIRED / OTP_SUPERSEDED',
      429: 'OTP_ATTEMPTS_EXCEEDED / OTP_IDENTIFIER_LOCKED',
    },
    handler: ({ body, req }) => login.checkCode(body, { ip: req.ip, userAgent: req.get('user-agent') }),
  });
};
