import { z } from 'zod';
import { anchored, EMAIL_PATTERN, NEPALI_MOBILE_PATTERN, OTP_PURPOSES, OtpRetryLaterError, OtpService } from '../../../modules/identity';
import { ipRateLimit } from '../../http/rate-limit';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { chargegharProfile } from './profile';

/** A Nepali mobile (spaces or hyphens between the digits allowed) or an e-mail address: documented and checked as one pattern. */
const Identifier = z.string().max(254).regex(anchored(NEPALI_MOBILE_PATTERN, EMAIL_PATTERN), 'must be a Nepali mobile number or an e-mail address');

const OtpRequestBody = z
  .object({
    identifier: Identifier.openapi({
      description: 'Nepali mobile (+9779812345678 or 9812345678) → SMS; or an email address → email',
      example: '+9779812345678',
    }),
    purpose: z.enum(OTP_PURPOSES).optional().openapi({ description: 'What the code is for; informational (login or register both accept any verified code)' }),
  })
  .openapi('OtpRequest');

const OtpRequested = z
  .object({
    challenge_id: z.string().uuid(),
    channel: z.enum(['sms', 'email']),
    identifier: z.string().openapi({ description: 'Masked' }),
    expires_in: z.number().int().openapi({ description: 'Seconds the code is valid (300)' }),
    resend_after: z.number().int().openapi({ description: 'Seconds before another code can be requested for this identifier (60)' }),
    max_attempts: z.number().int(),
  })
  .openapi('OtpRequested');

const OtpVerifyBody = z
  .object({
    challenge_id: z.string().uuid().optional().openapi({ description: 'From the OTP request; or give `identifier` to check its latest code' }),
    identifier: Identifier.optional(),
    code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code'),
  })
  .refine((b) => b.challenge_id || b.identifier, { message: 'challenge_id or identifier is required', path: ['challenge_id'] })
  // The document says the same: one of the two is required.
  .openapi('OtpVerify', { anyOf: [{ required: ['challenge_id'] }, { required: ['identifier'] }] });

const OtpVerified = z
  .object({
    verification_token: z.string().openapi({ description: 'Single use, 10 minutes: pass it to /auth/register or /auth/login' }),
    expires_in: z.number().int(),
    identifier: z.string(),
    channel: z.enum(['sms', 'email']),
    user_exists: z.boolean(),
    next_step: z.enum(['login', 'register']),
  })
  .openapi('OtpVerified');

/** The services the routes below call, and the per-IP limits in front of them. */
function ctxOf(deps: ApiDeps) {
  const otp = new OtpService({ orm: deps.orm, temporal: deps.temporal, config: deps.config, brand: chargegharProfile(deps).brand });
  const requestLimit = ipRateLimit(deps.orm, {
    name: 'otp-request',
    limit: deps.config.OTP_IP_LIMIT,
    windowSeconds: deps.config.OTP_IP_WINDOW_SECONDS,
    message: 'Too many OTP requests from this network; try again later',
  });
  const verifyLimit = ipRateLimit(deps.orm, {
    name: 'otp-verify',
    limit: deps.config.OTP_VERIFY_IP_LIMIT,
    windowSeconds: deps.config.OTP_IP_WINDOW_SECONDS,
    message: 'Too many OTP verifications from this network; try again later',
  });
  return { otp, requestLimit, verifyLimit };
}
type Ctx = ReturnType<typeof ctxOf>;

/** A refusal that says when to come back sets Retry-After. */
async function withRetryAfter<T>(res: { setHeader(name: string, value: string): unknown }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OtpRetryLaterError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}

/** Send a code (seed 001 and seed 003 paths). */
function otpRequestRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { otp, requestLimit }: Ctx) {
  for (const path of ['/auth/get-otp', '/auth/otp/request']) {
    routes.router.post(path, requestLimit);
    routes.route({
      method: 'post',
      path,
      summary: 'Send a 6-digit OTP by SMS (phone) or email',
      description:
        'Seed 001 path `/auth/get-otp`, seed 003 path `/auth/otp/request` (same behaviour). The code expires after 5 minutes and allows 5 wrong tries. ' +
        'A second request for the same identifier within 60 s is refused (429 RATE_LIMIT_EXCEEDED with Retry-After); requests per client IP are limited too ' +
        '(RateLimit / RateLimit-Policy headers). Delivery is asynchronous (retried); a newer code replaces the previous one.',
      tags: ['Auth'],
      body: OtpRequestBody,
      response: OtpRequested,
      errors: {
        429:
          'RATE_LIMIT_EXCEEDED: same identifier within the cooldown, or too many requests from this IP; OTP_DAILY_LIMIT: the daily codes of this phone/email; ' +
          'OTP_IDENTIFIER_LOCKED: too many wrong codes for it (all with Retry-After)',
        503: 'OTP_UNAVAILABLE',
      },
      handler: ({ body, req, res }) => withRetryAfter(res, () => otp.request({ identifier: body.identifier, purpose: body.purpose, ip: req.ip })),
    });
  }
}

/** Check a code for a verification token (seed 001 and seed 003 paths). */
function otpVerifyRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { otp, verifyLimit }: Ctx) {
  for (const path of ['/auth/verify-otp', '/auth/otp/verify']) {
    routes.router.post(path, verifyLimit);
    routes.route({
      method: 'post',
      path,
      summary: 'Check an OTP; returns a single-use verification token for register or login',
      description:
        'Seed 001 path `/auth/verify-otp`, seed 003 path `/auth/otp/verify`. Wrong code: 401 OTP_INVALID with `details.attempts_remaining` (a well-formed request whose code does not authenticate); ' +
        'the 5th wrong code locks the challenge (429 OTP_ATTEMPTS_EXCEEDED); after 5 minutes 410 OTP_EXPIRED; a used code 409 OTP_ALREADY_USED.',
      tags: ['Auth'],
      body: OtpVerifyBody,
      response: OtpVerified,
      errors: {
        401: 'OTP_INVALID: wrong code (details.attempts_remaining)',
        404: 'Unknown challenge',
        409: 'OTP_ALREADY_USED / OTP_NOT_SENT',
        410: 'OTP_EXPIRED / OTP_SUPERSEDED',
        429: 'OTP_ATTEMPTS_EXCEEDED, RATE_LIMIT_EXCEEDED, or OTP_IDENTIFIER_LOCKED (too many wrong codes for this phone/email across its codes today; Retry-After)',
        502: 'OTP_DELIVERY_FAILED',
      },
      handler: ({ body, res }) => withRetryAfter(res, () => otp.verify(body)),
    });
  }
}

export const authOtpRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  otpRequestRoutes(routes, deps, ctx);
  otpVerifyRoutes(routes, deps, ctx);
};
