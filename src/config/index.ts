import { consoleConfigShape } from './console';
import { z } from 'zod';
import { checkIdentityConfig, identityConfigShape } from './identity';
import { rentalConfigShape } from './rentals';
import { pushSweepConfigShape } from './push-sweep';
import { checkTemporalConfig, temporalConfigShape } from './temporal';
import { checkProductionConfig, securityConfigShape } from './security';
import { socialConfigShape } from './social';
import { checkWaterProductionConfig, waterConfigShape } from './water';
import { chargingConfigShape, checkChargingConfig, checkChargingProductionConfig } from './charging';
import { SURFACE_NAMES, surfaceProfileShape, type SurfaceName } from './surfaces';
import { checkFleetProductionConfig, fleetConfigShape } from './fleet';
import { observabilityConfigShape } from './observability';

/**
 * Every setting stationflow reads, validated once at boot.
 * A missing or malformed variable stops the process with a message naming it.
 * The embedded stack (scripts/dev) fills DATABASE_URL, TEMPORAL_ADDRESS and MQTT_URL
 * when they are not given.
 */
export { DEV_DEFAULTS, productionProblems, RATE_LIMIT_NAMES, swaggerUiEnabled } from './security';
export { SURFACE_NAMES, surfaceProfile, type SurfaceName, type SurfaceProfile } from './surfaces';
export { parseWaterConfig, type WaterSandboxConfig } from './water';

/** The development key of MQTT identities (the embedded broker, the simulator); production refuses it. */
export const DEV_MQTT_AUTH_SECRET = 'stationflow-dev-mqtt-auth-secret-not-for-production';

const DEFAULT_SURFACES = 'chargeghar:/api,ev:/ev/api,water:/water/api,fleet:/fleet/api';

const surfacesSchema = z.string().transform((raw, ctx) => {
  const mounts: { name: SurfaceName; mount: string }[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, mount] = part.split(':');
    if (!SURFACE_NAMES.includes(name as SurfaceName) || !mount?.startsWith('/')) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not <surface>:/<mount> with surface one of ${SURFACE_NAMES.join(', ')}` });
      return z.NEVER;
    }
    mounts.push({ name: name as SurfaceName, mount: mount.replace(/\/+$/, '') || '/' });
  }
  return mounts;
});

/**
 * MQTT_TOPIC_PREFIX: every device topic goes under it (`<prefix>/kiosk/<sn>/cmd`), so several
 * deployments (or test files) can share one broker and each sees only its own devices. Empty is no
 * prefix. Plain segments joined by `/`: no wildcards (`+`, `#`), no `$`, no leading or trailing `/`.
 */
export const mqttTopicPrefixSchema = z
  .string()
  .regex(
    /^([A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*)?$/,
    'must be empty or segments of letters, digits, _ and - joined by / (no wildcards, no leading or trailing /)',
  );

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL');
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Payment gateways. Without credentials every adapter talks to its local sandbox on loopback
 * (`npm run dev` starts them); a real secret key switches that gateway to the real one.
 * PAYMENT_SANDBOX=true|false forces the choice for all three. Resolved in
 * src/modules/payments/gateways/settings.ts.
 */
const paymentSchema = {
  PAYMENT_SANDBOX: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Which real hosts to use when not sandboxed: the gateways' test environments or production. */
  PAYMENT_GATEWAY_ENV: z.enum(['test', 'live']).default('test'),
  PAYMENT_SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  KHALTI_BASE_URL: httpUrl.optional(),
  KHALTI_SECRET_KEY: z.string().min(1).optional(),
  KHALTI_SANDBOX_PORT: port.default(7401),
  /** Origin of the eSewa form (and of the status check unless ESEWA_STATUS_URL is set). */
  ESEWA_BASE_URL: httpUrl.optional(),
  ESEWA_STATUS_URL: httpUrl.optional(),
  ESEWA_PRODUCT_CODE: z.string().min(1).default('EPAYTEST'),
  /** Default: the published UAT key for EPAYTEST. */
  ESEWA_SECRET_KEY: z.string().min(1).optional(),
  ESEWA_SANDBOX_PORT: port.default(7402),
  STRIPE_API_URL: httpUrl.optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\S+$/, 'must be an sk_test_/sk_live_ key')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\S+$/, 'must start with whsec_')
    .optional(),
  STRIPE_CURRENCY: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .default('NPR'),
  /** Our page that mounts Stripe Elements for a PaymentIntent (real Stripe has no hosted page for them). */
  STRIPE_PAYMENT_PAGE_URL: httpUrl.optional(),
  STRIPE_SANDBOX_PORT: port.default(7403),
  /** Where the Stripe sandbox posts webhooks; default this API's /payment/webhook/stripe. */
  STRIPE_SANDBOX_WEBHOOK_URL: httpUrl.optional(),
};

/** Only the payment keys, for processes (sandboxes, scripts) that do not need the whole config. */
export const paymentConfigSchema = z.object(paymentSchema);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    TEMPORAL_ADDRESS: z.string().regex(/^[^:]+:\d+$/, 'must be host:port'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('stationflow'),
    MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp):\/\//, 'must be an mqtt:// URL'),
    SURFACES: surfacesSchema.default(surfacesSchema.parse(DEFAULT_SURFACES)),
    JWT_SECRET: z.string().min(16, 'must be at least 16 characters'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
      .default('100kb'),
    DEVICE_ACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** On SIGTERM the worker stops polling and lets running activities finish this long before cancelling them ... */
    WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
    /** ... and gives up on a clean stop (exit 1) this long after the signal; keep it under the orchestrator's kill timeout. */
    WORKER_SHUTDOWN_FORCE_SECONDS: z.coerce.number().int().positive().default(60),
    /**
     * Workflows the worker keeps in its sticky cache (each open rental waiting on its timer is one);
     * default 500: once the cache is full the worker's memory stays flat as open rentals grow (+7%
     * from 1,000 to 10,000 with a 1 GB heap); the SDK's own (about 600 per GB of heap above 200 MB:
     * ~2,300 with Node's 4 GB heap) and 1,000 grew +80% and +38% (bench:memory, README "Benchmark").
     * An evicted workflow replays its history (~20 events for a rental) on its next task.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
    /**
     * The bridge's MQTT client id; its persistent session keeps QoS 1 messages across restarts, so give each bridge its own.
     * It must start with `stationflow-bridge` (the broker binds it to the bridge's identity); default `stationflow-bridge-<hostname>`.
     */
    MQTT_BRIDGE_CLIENT_ID: z
      .string()
      .regex(/^stationflow-bridge(-[\w.-]{1,45})?$/, 'must be stationflow-bridge or stationflow-bridge-<1-45 letters, digits, _ . ->')
      .optional(),
    /** Key of every MQTT identity's password (HMAC of the username; src/kernel/devices/credentials.ts): at least 32 characters. */
    MQTT_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_MQTT_AUTH_SECRET),
    /** Run several bridges as one group (`$share/<group>/...`, needs an MQTT 5 broker such as mosquitto). */
    MQTT_BRIDGE_SHARE_GROUP: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, _ -')
      .optional(),
    /**
     * Which stations the bridge's silence sweep may mark offline: `all` (every station in the database) or `heard`
     * (only those this bridge had a message from since it started: a database shared with devices under other prefixes).
     */
    MQTT_BRIDGE_SWEEP_SCOPE: z.enum(['all', 'heard']).default('all'),
    /** Device topics live under this prefix (see mqttTopicPrefixSchema); '' for none. */
    MQTT_TOPIC_PREFIX: mqttTopicPrefixSchema.default(''),
    // money (payment intents, methods, limits in minor units)
    PAYMENT_METHODS_ENABLED: z
      .string()
      .default('khalti,esewa,stripe')
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    PAYMENT_LIMITS: z
      .string()
      .regex(/^(\w+:\d+-\d+)(,\w+:\d+-\d+)*$/, 'must look like khalti:1000-10000000,esewa:...')
      .default('khalti:1000-10000000,esewa:1000-10000000,stripe:5000-10000000'),
    PAYMENT_INTENT_TTL_MINUTES: z.coerce.number().positive().default(30),
    PAYMENT_POLL_SECONDS: z.coerce.number().positive().default(30),
    /** How long a customer waits for the gateway session before the top-up fails with 502 GATEWAY_ERROR. */
    PAYMENT_SESSION_TIMEOUT_SECONDS: z.coerce.number().positive().default(15),
    /** After the TTL an unsettled intent is looked up again: first after this, then twice as long each time… */
    PAYMENT_LATE_CHECK_FIRST_MINUTES: z.coerce.number().positive().default(60),
    /** …up to this gap… */
    PAYMENT_LATE_CHECK_MAX_HOURS: z.coerce.number().positive().default(24),
    /** …until this long after the intent was created. */
    PAYMENT_LATE_CHECK_GIVE_UP_DAYS: z.coerce.number().positive().default(7),
    /** How often the late-check schedule (`payment-late-check:<task queue>`) sweeps the intents due a look. */
    PAYMENT_LATE_CHECK_SWEEP_MINUTES: z.coerce.number().positive().default(15),
    /** Gateway calls run on `<task queue>-gateways`, at most this many activities a second across the queue. */
    GATEWAY_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(10),
    /** Each HTTP call to a gateway gives up after this (shorter than its activity's start-to-close, 30 s). */
    GATEWAY_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
    // Media uploads (issue 3): local disk served at <mount>/media unless CLOUDINARY_URL is set.
    UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
    UPLOAD_MAX_IMAGE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    UPLOAD_MAX_VIDEO_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(50 * 1024 * 1024),
    /** Absolute base for links the API hands out (https://api.example.com); derived from the request when unset. */
    PUBLIC_BASE_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+$/, 'must be http(s)://host without a path')
      .optional(),
    CLOUDINARY_URL: z
      .string()
      .regex(/^cloudinary:\/\/[^:]+:[^@]+@[\w-]+$/, 'must be cloudinary://<key>:<secret>@<cloud>')
      .optional(),
    CLOUDINARY_API_BASE: z
      .string()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .default('https://api.cloudinary.com'),
    // Push (issue 3): FCM through firebase-admin when a service account is given, else recorded only.
    FIREBASE_SERVICE_ACCOUNT: z.string().min(1).optional(),
    FCM_SANDBOX_URL: z
      .string()
      .regex(/^http:\/\/[^/]+$/, 'must be http://host:port')
      .optional(),
    ...identityConfigShape,
    ...temporalConfigShape,
    ...rentalConfigShape,
    ...pushSweepConfigShape,
    ...socialConfigShape,
    ...waterConfigShape,
    ...chargingConfigShape,
    ...paymentSchema,
    ...surfaceProfileShape,
    ...securityConfigShape,
    ...consoleConfigShape,
    ...fleetConfigShape,
    ...observabilityConfigShape,
  })
  .superRefine(checkIdentityConfig)
  .superRefine(checkTemporalConfig)
  .superRefine(checkChargingConfig)
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.MQTT_AUTH_SECRET === DEV_MQTT_AUTH_SECRET)
      ctx.addIssue({ code: 'custom', path: ['MQTT_AUTH_SECRET'], message: 'must be set in production' });
  })
  .superRefine(checkProductionConfig)
  .superRefine(checkWaterProductionConfig)
  .superRefine(checkFleetProductionConfig)
  .superRefine(checkChargingProductionConfig);

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** For process entry points: exits with the message instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
