import type { Request } from 'express';
import { z } from 'zod';
import { AccountService, AuthTokenService, DeviceService, refreshTokenOwner, tokenKeys } from '../../../modules/identity';
import { rateLimits } from '../../http/rate-limit';
import { PrivateMediaService } from '../../../modules/engagement';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';

const UserSchema = z
  .object({
    id: z.string().uuid(),
    username: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string(),
    status: z.string(),
    referred_by_code: z.string().nullable(),
    created_at: z.string(),
    last_login_at: z.string().nullable(),
  })
  .openapi('AuthUser');

const Tokens = z.object({
  access_token: z.string().openapi({ description: "JWT, 15 minutes (never past the session's absolute end); carries `sid`, `iss`, `aud` and a `kid` header" }),
  refresh_token: z.string().openapi({ description: 'JWT, single use: each refresh returns a new one; reusing an old one revokes the session' }),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_expires_in: z.number().int(),
  session_id: z.string().uuid(),
});
const RefreshBody = z.object({ refresh_token: z.string().min(10).max(2048) }).openapi('Refresh');
const TokensWithUser = Tokens.extend({ user: UserSchema }).openapi('AuthTokens');

const RegisterBody = z
  .object({
    verification_token: z.string().min(10).max(200),
    username: z
      .string()
      .min(3)
      .max(32)
      .regex(/^[A-Za-z0-9_.]+$/, 'letters, digits, _ and . only'),
    referral_code: z
      .string()
      .regex(/^[A-Za-z0-9]{4,32}$/, '4-32 letters or digits')
      .optional(),
  })
  .openapi('Register');

const DeviceBody = z
  .object({
    fcm_token: z.string().min(10).max(512),
    platform: z.enum(['android', 'ios', 'web']),
    device_id: z.string().max(128).optional().openapi({ description: 'Stable install id; a new token for the same device replaces the old one' }),
    model: z.string().max(120).optional(),
    os_version: z.string().max(40).optional(),
    app_version: z.string().max(40).optional(),
  })
  .openapi('DeviceConfig');

const DeviceSchema = z.object({
  id: z.string().uuid(),
  fcm_token: z.string(),
  device_id: z.string().nullable(),
  platform: z.string(),
  model: z.string().nullable(),
  os_version: z.string().nullable(),
  app_version: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const accounts = new AccountService(deps);
  const tokens = new AuthTokenService(deps);
  const devices = new DeviceService(deps);
  const meta = (req: { ip?: string; headers: Record<string, unknown> }) => ({ ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') || undefined });
  const keys = tokenKeys(deps.config);
  const refreshOwner = (req: Request) => refreshTokenOwner(keys, (req.body as { refresh_token?: string } | undefined)?.refresh_token);
  const limits = {
    register: rateLimits(deps, 'register'),
    login: rateLimits(deps, 'login'),
    refresh: rateLimits(deps, 'refresh', refreshOwner),
  };
  const privateMedia = new PrivateMediaService({ orm: deps.orm, config: deps.config });
  return { accounts, tokens, devices, meta, limits, privateMedia };
}
type Ctx = ReturnType<typeof ctxOf>;

const refreshErrors = {
  401: 'INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED, SESSION_REVOKED or SESSION_EXPIRED',
  403: 'The account is banned or suspended (ACCOUNT_DISABLED)',
};

/** Register, log in, refresh (answers are no-store, as the whole surface's). */
function sessionRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { accounts, tokens, meta, limits }: Ctx) {
  routes.route({
    method: 'post',
    path: '/auth/register',
    tags: ['Auth'],
    summary: 'Create an account after OTP verification (phone or email) and log in',
    description: 'The verification token is spent only when the account is created: on 409 it can still be used to log in.',
    body: RegisterBody,
    limits: limits.register,
    response: TokensWithUser,
    status: 201,
    errors: {
      401: 'Verification token invalid, used or expired',
      409: 'USER_ALREADY_EXISTS or USERNAME_UNAVAILABLE (taken or reserved: the answer does not say which)',
    },
    handler: ({ body, req }) =>
      accounts.register({ verificationToken: body.verification_token, username: body.username, referralCode: body.referral_code }, meta(req)),
  });

  routes.route({
    method: 'post',
    path: '/auth/login',
    tags: ['Auth'],
    summary: 'Log in after OTP verification (phone or email)',
    body: z.object({ verification_token: z.string().min(10).max(200) }).openapi('Login'),
    limits: limits.login,
    response: TokensWithUser,
    errors: { 401: 'Verification token invalid, used or expired', 403: 'ACCOUNT_DISABLED', 404: 'USER_NOT_FOUND: register first (the token stays usable)' },
    handler: ({ body, req }) => accounts.login({ verificationToken: body.verification_token }, meta(req)),
  });

  routes.route({
    method: 'post',
    path: '/auth/refresh',
    tags: ['Auth'],
    summary: 'Rotate the refresh token: returns a new access and refresh token',
    description: 'The refresh token is used once. Presenting one that was already used revokes the whole session (401 REFRESH_TOKEN_REUSED).',
    body: RefreshBody,
    limits: limits.refresh,
    response: Tokens,
    errors: refreshErrors,
    handler: ({ body }) => tokens.refresh(body.refresh_token),
  });

  routes.route({
    method: 'get',
    path: '/auth/refresh',
    tags: ['Auth'],
    summary: 'Rotate the refresh token (seed 003 GET form): the token in the JSON body, as for POST',
    description:
      'Refresh tokens travel only in the body (`{"refresh_token": ...}`), never in the URL, the Authorization header or X-Refresh-Token, ' +
      'so they stay out of access logs and proxies. Same rotation and reuse rules as POST.',
    body: RefreshBody,
    limits: limits.refresh,
    response: Tokens,
    errors: refreshErrors,
    handler: ({ body }) => tokens.refresh(body.refresh_token),
  });
}

/** Log out, the account and its devices. */
function accountRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { accounts, tokens, devices, privateMedia }: Ctx) {
  routes.route({
    method: 'post',
    path: '/auth/logout',
    tags: ['Auth'],
    auth: 'user',
    summary: 'End this session: its access and refresh tokens stop working at once',
    response: z.object({ logged_out: z.boolean() }),
    handler: async ({ user }) => {
      await tokens.logout(user!.sid!);
      return { logged_out: true };
    },
  });

  routes.route({
    method: 'get',
    path: '/auth/me',
    tags: ['Auth'],
    auth: 'user',
    summary: "The caller's basic data",
    response: UserSchema,
    handler: ({ user }) => accounts.me(user!.id),
  });

  for (const method of ['post', 'put'] as const) {
    routes.route({
      method,
      path: '/auth/device',
      tags: ['Auth'],
      auth: 'user',
      summary: 'Register or update this device: FCM token and device data (POST and PUT behave the same, idempotent by fcm_token)',
      body: DeviceBody,
      response: DeviceSchema,
      errors: { 409: 'DEVICE_TOKEN_IN_USE: the token belongs to another account whose session on it is live, and device_id does not match' },
      handler: ({ user, body }) => devices.upsert(user!, body),
    });
  }

  routes.route({
    method: 'delete',
    path: '/auth/account',
    tags: ['Auth'],
    auth: 'user',
    summary: 'Erase the account: personal data removed, sessions revoked, devices deleted',
    description:
      'Refused with 409 ACCOUNT_HAS_OPEN_OBLIGATIONS while a rental or a due is open, or a power bank released after a failed rental is still out (details.blockers: OPEN_RENTAL, OPEN_DUE, UNRETURNED_POWER_BANK). Ledger history stays, pointing at the anonymised account.',
    response: z.object({ deleted: z.boolean(), user_id: z.string().uuid() }),
    errors: { 409: 'ACCOUNT_HAS_OPEN_OBLIGATIONS (details.blockers)' },
    handler: async ({ user }) => {
      const erased = await accounts.deleteAccount(user!.id);
      // After the erasure committed: the account's files leave storage (KYC documents included).
      await privateMedia.purgeErased(user!.id);
      return erased;
    },
  });
}

export const authAccountRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  sessionRoutes(routes, deps, ctx);
  accountRoutes(routes, deps, ctx);
};
