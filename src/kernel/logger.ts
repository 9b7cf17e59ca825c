import pino from 'pino';
import { requestContext } from './context';

/**
 * Names of fields whose values are credentials. (`code` alone is left out: in our logs it is an error
 * code, `err.code`; OTP and TOTP codes travel as `otp`, `otp_code`, `totp`, and in URLs as `code=`.)
 */
const SENSITIVE = [
  'password',
  'otp',
  'otp_code',
  'totp',
  'code_hash',
  'token',
  'access_token',
  'refresh_token',
  'verification_token',
  'id_token',
  'secret',
  'client_secret',
  'api_key',
  'recovery_code',
  'recovery_codes',
  'otpauth_uri',
  'fcm_token',
  'signature',
];
const SENSITIVE_QUERY = /token|code|secret|otp|password|signature|^sig$|key|^pidx$|^data$|auth|session/i;

/** A URL with the value of every query parameter that could carry a credential replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  for (const key of new Set(params.keys())) if (SENSITIVE_QUERY.test(key)) params.set(key, '[Redacted]');
  return `${url.slice(0, at)}?${params.toString()}`;
}

/**
 * Redacted paths: credentials in headers (both directions) and any field named as above at the
 * top level or up to two levels down (`{err: {details: {token}}}`).
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-totp"]',
  'req.headers["x-refresh-token"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** Where lines go: stdout, or the file named by LOG_FILE (appended, written synchronously). */
const destination = process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, sync: true, append: true }) : undefined;

/** One structured logger; every line carries the request id when there is one. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: process.env.SERVICE_NAME ?? 'stationflow' },
    mixin: () => {
      const ctx = requestContext.getStore();
      return ctx ? { requestId: ctx.requestId } : {};
    },
    redact: REDACT,
  },
  destination,
);

export type Logger = typeof logger;
