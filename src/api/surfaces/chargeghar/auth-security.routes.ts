import { z } from 'zod';
import { SecondFactorService, SessionService } from '../../../modules/identity';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';

const Session = z
  .object({
    id: z.string().uuid(),
    current: z.boolean().openapi({ description: 'The session of the token that asked' }),
    created_at: z.string(),
    last_refreshed_at: z.string().nullable(),
    expires_at: z.string().openapi({ description: 'When its refresh token lapses unless used (slides with each refresh)' }),
    absolute_expires_at: z.string().openapi({ description: 'Its hard end: SESSION_MAX_DAYS, or ADMIN_SESSION_MAX_HOURS for admins' }),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    second_factor_at: z.string().nullable(),
  })
  .openapi('AuthSession');

const TotpCode = z.string().regex(/^\d{6}$/, 'a 6-digit code from the authenticator app');
const RecoveryCodes = z.object({ recovery_codes: z.array(z.string()).openapi({ description: 'Single-use; shown only this once (stored as hashes)' }) });
const Verified = z.object({ second_factor_at: z.string(), method: z.enum(['totp', 'recovery_code']) });

/** The caller's sessions: list, end one, end all. */
function sessionRoutes(routes: SurfaceRoutes, sessions: SessionService) {
  routes.route({
    method: 'get',
    path: '/auth/sessions',
    tags: ['Auth'],
    auth: 'user',
    summary: "The caller's live sessions (logins), newest first",
    response: z.object({ sessions: z.array(Session) }),
    handler: async ({ user }) => ({ sessions: await sessions.list(user!.id, user!.sid) }),
  });

  routes.route({
    method: 'delete',
    path: '/auth/sessions/:id',
    tags: ['Auth'],
    auth: 'user',
    summary: 'End one of my sessions (a lost phone): its tokens stop working at once',
    params: z.object({ id: z.uuid() }),
    response: z.object({ revoked: z.boolean(), session_id: z.string().uuid() }),
    errors: { 404: 'No session of yours with this id' },
    handler: ({ user, params }) => sessions.revoke(user!.id, params.id),
  });

  routes.route({
    method: 'post',
    path: '/auth/logout-all',
    tags: ['Auth'],
    auth: 'user',
    summary: 'Log out everywhere: every session of the caller ends, this one included, and its devices stop getting pushes',
    response: z.object({ logged_out: z.boolean(), sessions_ended: z.number().int() }),
    handler: ({ user }) => sessions.revokeAll(user!.id),
  });
}

/** Admins' second factor (TOTP): set it up, verify it in a session, renew recovery codes. */
function secondFactorRoutes(routes: SurfaceRoutes, factor: SecondFactorService) {
  routes.route({
    method: 'post',
    path: '/auth/2fa/enroll',
    tags: ['Auth: Admin second factor'],
    auth: 'admin-enrol',
    summary: 'Start setting up TOTP: a new secret and its otpauth:// URI (show it as a QR code)',
    description: 'Until confirmed, a new call replaces the secret. Admin routes need a verified second factor in the session.',
    response: z.object({ secret: z.string(), otpauth_uri: z.string(), issuer: z.string(), account: z.string() }),
    errors: { 409: 'SECOND_FACTOR_ALREADY_ENROLLED' },
    handler: ({ user, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return factor.enrol({ userId: user!.id, sid: user!.sid! });
    },
  });

  routes.route({
    method: 'post',
    path: '/auth/2fa/enroll/confirm',
    tags: ['Auth: Admin second factor'],
    auth: 'admin-enrol',
    summary: 'Confirm the set-up with a first code: TOTP is on, this session verified, recovery codes returned once',
    body: z.object({ code: TotpCode }),
    response: RecoveryCodes.extend({ second_factor_at: z.string() }),
    errors: { 401: 'INVALID_SECOND_FACTOR', 409: 'SECOND_FACTOR_NOT_PENDING', 429: 'SECOND_FACTOR_LOCKED after 5 wrong codes (15 minutes)' },
    handler: ({ user, body, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return factor.confirm({ userId: user!.id, sid: user!.sid! }, body.code);
    },
  });

  routes.route({
    method: 'post',
    path: '/auth/2fa/verify',
    tags: ['Auth: Admin second factor'],
    auth: 'admin-enrol',
    summary: 'Verify the second factor in this session (after login, or again before money actions): a TOTP code or a recovery code (spent)',
    body: z.union([z.object({ code: TotpCode }).strict(), z.object({ recovery_code: z.string().min(12).max(20) }).strict()]).openapi('SecondFactorProof'),
    response: Verified,
    errors: { 401: 'INVALID_SECOND_FACTOR', 409: 'SECOND_FACTOR_NOT_ENROLLED', 429: 'SECOND_FACTOR_LOCKED after 5 wrong codes (15 minutes)' },
    handler: ({ user, body }) => factor.verify({ userId: user!.id, sid: user!.sid! }, body),
  });

  routes.route({
    method: 'post',
    path: '/auth/2fa/recovery-codes',
    tags: ['Auth: Admin second factor'],
    auth: 'admin-step-up',
    summary: 'New recovery codes (the old ones stop working), returned once; needs a fresh second factor',
    response: RecoveryCodes,
    handler: ({ user, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return factor.regenerateRecoveryCodes(user!.id);
    },
  });
}

export const authSecurityRoutes: SurfaceModule = (routes, deps) => {
  sessionRoutes(routes, new SessionService(deps));
  secondFactorRoutes(routes, new SecondFactorService(deps));
};
