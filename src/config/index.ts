import { z } from 'zod';
import { checkIdentityConfig, identityConfigShape } from './identity';
import { rentalConfigShape } from './rentals';

/**
 * Every setting stationflow reads, validated once at boot.
 * A missing or malformed variable stops the process with a message naming it.
 * The embedded stack (scripts/dev) fills DATABASE_URL, TEMPORAL_ADDRESS and MQTT_URL
 * when they are not given.
 */
export const SURFACE_NAMES = ['chargeghar', 'ev', 'water', 'fleet'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

const DEFAULT_SURFACES = 'chargeghar:/api,ev:/ev/api,water:/water/api,fleet:/fleet/api';

const surfacesSchema = z
  .string()
  .transform((raw, ctx) => {
    const mounts: { name: SurfaceName; mount: string }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [name, mount] = part.split(':');
      if (!SURFACE_NAMES.includes(name as SurfaceName) || !mount?.startsWith('/')) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not <surface>:/<mount> with surface one of ${SURFACE_NAMES.join(', ')}` });
        return z.NEVER;
      }
      mounts.push({ name: name as SurfaceName, mount: mount.replace(/\/+$/, '') || '/' });
    }
    return mounts;
  });

const schema = z.object({
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
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb').default('100kb'),
  DEVICE_ACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // money (payment intents, methods, limits in minor units)
  PAYMENT_METHODS_ENABLED: z.string().default('khalti,esewa,stripe').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  PAYMENT_LIMITS: z.string().regex(/^(\w+:\d+-\d+)(,\w+:\d+-\d+)*$/, 'must look like khalti:1000-10000000,esewa:...').default('khalti:1000-10000000,esewa:1000-10000000,stripe:5000-10000000'),
  PAYMENT_INTENT_TTL_MINUTES: z.coerce.number().positive().default(30),
  PAYMENT_POLL_SECONDS: z.coerce.number().positive().default(30),
  ...identityConfigShape,
  // Media uploads (issue 3): local disk served at <mount>/media unless CLOUDINARY_URL is set.
  UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
  UPLOAD_MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  UPLOAD_MAX_VIDEO_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Public origin for links the API hands out and gateway callbacks (https://api.example.com); derived from the request when unset. */
  PUBLIC_BASE_URL: z.string().regex(/^https?:\/\/[^/]+$/, 'must be http(s)://host without a path').optional(),
  CLOUDINARY_URL: z.string().regex(/^cloudinary:\/\/[^:]+:[^@]+@[\w-]+$/, 'must be cloudinary://<key>:<secret>@<cloud>').optional(),
  CLOUDINARY_API_BASE: z.string().regex(/^https?:\/\//, 'must be an http(s) URL').default('https://api.cloudinary.com'),
  // Push (issue 3): FCM through firebase-admin when a service account is given, else recorded only.
  FIREBASE_SERVICE_ACCOUNT: z.string().min(1).optional(),
  FCM_SANDBOX_URL: z.string().regex(/^http:\/\/[^/]+$/, 'must be http://host:port').optional(),
  ...rentalConfigShape,
}).superRefine(checkIdentityConfig);

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
