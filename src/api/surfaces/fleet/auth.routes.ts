import { z } from 'zod';
import { surfaceProfile } from '../../../config';
import { FLEET_USER_TYPES, FleetAuthService } from '../../../modules/loans';
import { OtpRetryLaterError } from '../../../modules/identity';
import type { SurfaceModule } from '../types';

/** What identity's parser takes as an Indian mobile (the country code as +91, 0091 or 91, then 10 digits from 6-9): the document states it, so a phone it accepts is never a 400. */
const Phone = z
  .string()
  .regex(/^(?:\+91|0091|91)[6-9]\d{9}$/, 'must be an Indian mobile with its country code, e.g. +919876543210')
  .openapi({ example: '+919876543210', description: 'Indian mobile with country code' });
const LoginBody = z.object({ phone: Phone, userType: z.enum(FLEET_USER_TYPES) }).openapi('FleetLogin');
const LoginSent = z.object({ message: z.string(), phone: z.string(), expires_in: z.number().int(), resend_after: z.number().int() }).openapi('FleetOtpSent');
const VerifyBody = z.object({ phone: Phone, otp: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') }).openapi('FleetVerifyOtp');
const Verified = z
  .object({
    token: z.string().openapi({ description: 'JWT for `Authorization: Bearer <token>`' }),
    refresh_token: z.string(),
    expires_in: z.number().int(),
    user: z.object({ id: z.string().uuid(), phone: z.string(), userType: z.enum(FLEET_USER_TYPES), name: z.string() }),
  })
  .openapi('FleetSession');

/** `POST /auth/login` sends a 6-digit OTP by SMS (MSG91); `POST /auth/verify-otp` returns the JWT. */
export const fleetAuthRoutes: SurfaceModule = (routes, deps) => {
  const auth = new FleetAuthService({ orm: deps.orm, temporal: deps.temporal, config: deps.config, brand: surfaceProfile(deps.config, 'fleet').brand });
  routes.route({
    method: 'post',
    path: '/auth/login',
    summary: 'Send a login OTP by SMS to a dealer, admin or technician',
    description: 'Only provisioned fleet members may log in (404 ACCOUNT_NOT_FOUND otherwise). One code per phone per minute (429 with Retry-After).',
    tags: ['Auth'],
    body: LoginBody,
    response: LoginSent,
    errors: { 404: 'ACCOUNT_NOT_FOUND', 429: 'RATE_LIMIT_EXCEEDED / OTP_DAILY_LIMIT' },
    handler: async ({ body, req, res }) => {
      try {
        return await auth.login({ ...body, ip: req.ip });
      } catch (err) {
        if (err instanceof OtpRetryLaterError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        throw err;
      }
    },
  });
  routes.route({
    method: 'post',
    path: '/auth/verify-otp',
    summary: 'Check the OTP; returns a JWT',
    tags: ['Auth'],
    body: VerifyBody,
    response: Verified,
    errors: { 404: 'ACCOUNT_NOT_FOUND / no code requested', 409: 'OTP_ALREADY_USED', 410: 'OTP_EXPIRED', 429: 'OTP_ATTEMPTS_EXCEEDED' },
    handler: ({ body, req }) => auth.verify(body, { ip: req.ip, userAgent: req.header('user-agent') }),
  });
};
