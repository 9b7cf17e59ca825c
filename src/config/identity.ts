import { z } from 'zod';

/** Local defaults: the Sparrow and SMTP sandboxes that `npm run dev` starts on loopback. */
export const DEV_SMS_SANDBOX_PORT = 4010;
export const DEV_SMTP_SANDBOX_PORT = 2525;
export const DEV_MN_SMS_SANDBOX_PORT = 4012;
export const DEV_OTP_HASH_SECRET = 'dev-only-otp-hash-secret-change-me';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = seconds;

/** `kid:secret,kid:secret`: kids of letters, digits, _ . -; secrets of at least 32 characters. */
const keyRing = z.string().transform((raw, ctx) => {
  const keys = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => (part.indexOf(':') > 0 ? { kid: part.slice(0, part.indexOf(':')), secret: part.slice(part.indexOf(':') + 1) } : { kid: '', secret: '' }));
  const bad = keys.find((k) => !/^[\w.-]{1,32}$/.test(k.kid) || k.secret.length < 32);
  if (keys.length === 0 || bad || new Set(keys.map((k) => k.kid)).size !== keys.length) {
    ctx.addIssue({ code: 'custom', message: 'must be kid:secret pairs joined by commas, unique kids, secrets of 32+ characters' });
    return z.NEVER;
  }
  return keys;
});

/** Identity settings: tokens, OTP rules and message delivery. Merged into the main schema. */
export const identityConfigShape = {
  ACCESS_TOKEN_TTL_SECONDS: seconds(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 24 * 3600),
  VERIFICATION_TOKEN_TTL_SECONDS: seconds(10 * 60),
  /** `iss` and `aud` of every token this API signs and accepts. */
  JWT_ISSUER: z.string().min(1).default('stationflow'),
  JWT_AUDIENCE: z.string().min(1).default('stationflow-api'),
  /**
   * Signing keys as `kid:secret,kid:secret` (secrets of 32+ characters): the first signs, every one
   * verifies, so a new key goes first and the old one stays listed until its tokens expired. Access
   * and refresh tokens have their own rings; unset, each ring is one key derived from JWT_SECRET.
   */
  JWT_ACCESS_KEYS: keyRing.optional(),
  JWT_REFRESH_KEYS: keyRing.optional(),
  /** Absolute lifetime of a customer's session, however often it is refreshed. */
  SESSION_MAX_DAYS: seconds(90),
  /** Absolute lifetime of an admin's session (no sliding refresh past it). */
  ADMIN_SESSION_MAX_HOURS: seconds(8),
  /** A money action needs a second factor verified this recently (or an X-TOTP header). */
  ADMIN_STEP_UP_MINUTES: seconds(10),
  /** Issuer shown in authenticator apps for the admins' TOTP. */
  ADMIN_TOTP_ISSUER: z.string().min(1).default('ChargeGhar Admin'),
  /** Key of the HMAC that OTP codes are stored under. Must be set in production. */
  OTP_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_OTP_HASH_SECRET),
  OTP_TTL_SECONDS: seconds(5 * 60),
  OTP_MAX_ATTEMPTS: count(5),
  OTP_RESEND_COOLDOWN_SECONDS: seconds(60),
  /** Failed verifications per identifier in 24 h, across its challenges, before it is locked (NIST SP 800-63B 5.2.2). */
  OTP_IDENTIFIER_MAX_FAILURES: count(100),
  /** The first lock's length; each further lock within a day of the last lasts twice as long, up to the max. */
  OTP_IDENTIFIER_LOCK_SECONDS: seconds(3600),
  OTP_IDENTIFIER_LOCK_MAX_SECONDS: seconds(7 * 24 * 3600),
  /** Codes sent per phone number / per email address in 24 h (SMS flooding and cost). */
  OTP_DAILY_SENDS_PER_PHONE: count(10),
  OTP_DAILY_SENDS_PER_EMAIL: count(20),
  /** OTP requests per client IP per window (shared by all replicas through PostgreSQL). */
  OTP_IP_LIMIT: count(20),
  OTP_IP_WINDOW_SECONDS: seconds(15 * 60),
  /** OTP verifications per client IP per window. */
  OTP_VERIFY_IP_LIMIT: count(60),
  SPARROW_BASE_URL: z.string().url().default(`http://127.0.0.1:${DEV_SMS_SANDBOX_PORT}/v2`),
  SPARROW_TOKEN: z.string().min(1).default('sandbox-token'),
  SPARROW_FROM: z.string().min(1).default('ChargeGhar'),
  /** Mongolian numbers (+976): the HTTP SMS gateway (src/modules/identity/delivery/http-sms.ts); the default is the dev sandbox. */
  MN_SMS_URL: z.string().url().default(`http://127.0.0.1:${DEV_MN_SMS_SANDBOX_PORT}/sms`),
  MN_SMS_TOKEN: z.string().min(1).default('sandbox-token'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .default(`smtp://127.0.0.1:${DEV_SMTP_SANDBOX_PORT}`),
  EMAIL_FROM: z.string().min(3).default('ChargeGhar <no-reply@chargeghar.local>'),
};

/** Production must not run with the development OTP key. */
export function checkIdentityConfig(
  env: { NODE_ENV: string; OTP_HASH_SECRET: string; JWT_ACCESS_KEYS?: { kid: string; secret: string }[]; JWT_REFRESH_KEYS?: { kid: string; secret: string }[] },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV === 'production' && env.OTP_HASH_SECRET === DEV_OTP_HASH_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['OTP_HASH_SECRET'], message: 'must be set in production' });
  }
  // Separate keys: no kid and no secret of the access ring may appear in the refresh ring.
  const access = env.JWT_ACCESS_KEYS ?? [];
  const shared = (env.JWT_REFRESH_KEYS ?? []).some((r) => access.some((a) => a.kid === r.kid || a.secret === r.secret));
  if (shared) ctx.addIssue({ code: 'custom', path: ['JWT_REFRESH_KEYS'], message: 'must share no kid or secret with JWT_ACCESS_KEYS' });
}
