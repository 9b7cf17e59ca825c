import { z } from 'zod';
import { DEV_SMS_SANDBOX_PORT, DEV_SMTP_SANDBOX_PORT } from './identity';

/**
 * Development and sandbox defaults a production process must never run with (issue 10 item 8).
 * The values mirror the ones the dev scripts, the gateway sandboxes and the SMS sandbox use;
 * test/security/production-config.test.ts checks them against the modules' own constants.
 */
export const DEV_DEFAULTS = {
  jwtSecrets: ['dev-only-secret-change-me-in-production', 'test-secret-that-is-long-enough', 'bench-secret-that-is-long-enough'],
  khaltiSecretKey: 'sandbox_khalti_live_secret_key',
  stripeSecretKey: 'sk_test_stationflow_sandbox',
  stripeWebhookSecret: 'whsec_stationflow_sandbox',
  esewaUatSecret: '8gBm/:&EnhH.1/q',
  sparrowToken: 'sandbox-token',
  sparrowBaseUrl: `http://127.0.0.1:${DEV_SMS_SANDBOX_PORT}/v2`,
  smtpUrl: `smtp://127.0.0.1:${DEV_SMTP_SANDBOX_PORT}`,
} as const;

const MIN_JWT_SECRET_BYTES = 32;

/** The HTTP rate limits RATE_LIMITS may override (defaults in src/api/http/rate-limit.ts). */
export const RATE_LIMIT_NAMES = ['login', 'register', 'refresh', 'upload', 'topup', 'refund', 'referral', 'webhook'] as const;

/**
 * `express` "trust proxy": `false` (use the socket's address), a hop count (`1`), or a
 * comma-separated list of addresses / subnets / names (`loopback`, `10.0.0.0/8`).
 */
const trustProxySchema = z
  .string()
  .regex(/^[\w.:/, -]+$/, 'must be false, a hop count or a comma-separated list of addresses/subnets')
  .default('loopback')
  .transform((v): boolean | number | string => (v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v));

/** Security settings (issue 10): proxies, Swagger UI, the virus scanner, signed media links, rate limits. */
export const securityConfigShape = {
  TRUST_PROXY: trustProxySchema,
  /** Swagger UI at `<mount>/docs`: on by default, off in production unless `true`. */
  SWAGGER_UI: z.enum(['true', 'false']).optional(),
  /** clamd host (INSTREAM over TCP); uploads are scanned when set. */
  CLAMD_HOST: z.string().min(1).optional(),
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
  CLAMD_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Lifetime of the signed links to private files (KYC documents). */
  PRIVATE_MEDIA_URL_TTL_SECONDS: z.coerce.number().int().positive().max(3600).default(300),
  /** Overrides of the HTTP rate limits: `login.ip=10/900,upload.user=30/3600` (name.scope=limit/window seconds). */
  RATE_LIMITS: z
    .string()
    .regex(/^([a-z-]+\.(ip|user)=\d+\/\d+)?(,[a-z-]+\.(ip|user)=\d+\/\d+)*$/, 'must look like login.ip=10/900,upload.user=30/3600')
    .refine((v) => v.split(',').every((p) => !p || (RATE_LIMIT_NAMES as readonly string[]).includes(p.split('.')[0])), {
      message: `names a limit other than ${RATE_LIMIT_NAMES.join(', ')}`,
    })
    .default(''),
};

export function swaggerUiEnabled(config: { NODE_ENV: string; SWAGGER_UI?: 'true' | 'false' }): boolean {
  return config.SWAGGER_UI ? config.SWAGGER_UI === 'true' : config.NODE_ENV !== 'production';
}

interface ProductionKeys {
  NODE_ENV: string;
  JWT_SECRET: string;
  PUBLIC_BASE_URL?: string;
  PAYMENT_SANDBOX?: boolean;
  PAYMENT_METHODS_ENABLED: string[];
  KHALTI_SECRET_KEY?: string;
  ESEWA_SECRET_KEY?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  SPARROW_TOKEN: string;
  SPARROW_BASE_URL: string;
  SMTP_URL: string;
  FCM_SANDBOX_URL?: string;
}

/** Each development default a production config still has: [variable, why]. */
export function productionProblems(c: ProductionKeys): [string, string][] {
  const problems: [string, string][] = [];
  const add = (key: string, why: string) => problems.push([key, why]);
  if (Buffer.byteLength(c.JWT_SECRET) < MIN_JWT_SECRET_BYTES) add('JWT_SECRET', `must be at least ${MIN_JWT_SECRET_BYTES} random bytes in production`);
  if ((DEV_DEFAULTS.jwtSecrets as readonly string[]).includes(c.JWT_SECRET)) add('JWT_SECRET', 'is a development value');
  if (c.KHALTI_SECRET_KEY === DEV_DEFAULTS.khaltiSecretKey) add('KHALTI_SECRET_KEY', 'is the sandbox key');
  if (c.STRIPE_SECRET_KEY === DEV_DEFAULTS.stripeSecretKey) add('STRIPE_SECRET_KEY', 'is the sandbox key');
  if (c.STRIPE_WEBHOOK_SECRET === DEV_DEFAULTS.stripeWebhookSecret) add('STRIPE_WEBHOOK_SECRET', 'is the sandbox secret');
  if (c.ESEWA_SECRET_KEY === DEV_DEFAULTS.esewaUatSecret) add('ESEWA_SECRET_KEY', 'is the public eSewa UAT key');
  if (c.PAYMENT_SANDBOX === false && c.PAYMENT_METHODS_ENABLED.includes('esewa') && !c.ESEWA_SECRET_KEY)
    add('ESEWA_SECRET_KEY', 'is unset: eSewa would sign with the public UAT key');
  if (c.PAYMENT_SANDBOX === undefined) {
    const secrets: Record<string, string | undefined> = { khalti: c.KHALTI_SECRET_KEY, esewa: c.ESEWA_SECRET_KEY, stripe: c.STRIPE_SECRET_KEY };
    for (const gateway of c.PAYMENT_METHODS_ENABLED.filter((g) => g in secrets && !secrets[g]))
      add(`${gateway.toUpperCase()}_SECRET_KEY`, `is unset while PAYMENT_SANDBOX is unset: ${gateway} would silently use its sandbox`);
  }
  if (!c.PUBLIC_BASE_URL) add('PUBLIC_BASE_URL', 'must be set in production (links are never built from the Host header)');
  if (c.SPARROW_TOKEN === DEV_DEFAULTS.sparrowToken) add('SPARROW_TOKEN', 'is the SMS sandbox token');
  if (c.SPARROW_BASE_URL === DEV_DEFAULTS.sparrowBaseUrl) add('SPARROW_BASE_URL', 'is the SMS sandbox');
  if (c.SMTP_URL === DEV_DEFAULTS.smtpUrl) add('SMTP_URL', 'is the SMTP sandbox');
  if (c.FCM_SANDBOX_URL) add('FCM_SANDBOX_URL', 'points push at the FCM sandbox');
  return problems;
}

/** NODE_ENV=production refuses every development or sandbox default (one config issue per variable). */
export function checkProductionConfig(c: ProductionKeys, ctx: z.RefinementCtx): void {
  if (c.NODE_ENV !== 'production') return;
  for (const [key, why] of productionProblems(c)) ctx.addIssue({ code: 'custom', path: [key], message: why });
}
