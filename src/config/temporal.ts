import { z } from 'zod';

/**
 * How processes reach Temporal beyond its address (TLS, mTLS, an API key) and how payloads are
 * protected on the way (AES-GCM, issue 10 item 3). Files are read by src/workers at connect time.
 */

const optionalFile = z.string().min(1).optional();
const keyId = z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -');
const aesKey = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes, base64 (openssl rand -base64 32)');

/** `id:base64key,id:base64key`: keys payloads were encrypted with before the current one (decrypt only). */
const oldKeys = z.string().transform((raw, ctx) => {
  const keys: { id: string; key: string }[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    const key = part.slice(at + 1);
    if (at < 1 || !keyId.safeParse(id).success || !aesKey.safeParse(key).success) {
      ctx.addIssue({ code: 'custom', message: `"${id || part.slice(0, 8)}…" is not <key id>:<32 bytes base64>` });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  return keys;
});

export const temporalConfigShape = {
  /** TLS to the Temporal frontend (Temporal Cloud, or a self-hosted server behind TLS). */
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** PEM of the CA that signed the server's certificate, when the system's roots do not. */
  TEMPORAL_TLS_CA_FILE: optionalFile,
  /** mTLS: this process's client certificate and key (PEM), both or neither. */
  TEMPORAL_TLS_CERT_FILE: optionalFile,
  TEMPORAL_TLS_KEY_FILE: optionalFile,
  /** Overrides the name the server's certificate is checked against (SNI). */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (sent as a bearer token, so only over TLS). */
  TEMPORAL_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** AES-256-GCM key that every payload is encrypted with before it reaches Temporal; unset = plain payloads. */
  TEMPORAL_PAYLOAD_KEY: aesKey.optional(),
  /** Its id, stored with each payload so a rotated key can still decrypt old histories. */
  TEMPORAL_PAYLOAD_KEY_ID: keyId.optional(),
  /** Earlier keys (`id:base64,...`), for decrypting payloads written before a rotation. */
  TEMPORAL_PAYLOAD_OLD_KEYS: oldKeys.default([]),
  /** Bearer token operators give the Temporal UI for the codec endpoint (POST /codec/decode); unset = no endpoint. */
  CODEC_SERVER_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The Temporal UI's origin, allowed by the codec endpoint's CORS. */
  TEMPORAL_UI_ORIGIN: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'must be an http(s)://host[:port] origin')
    .default('http://localhost:8233'),
};

type TemporalEnv = {
  TEMPORAL_TLS: boolean;
  TEMPORAL_TLS_CA_FILE?: string;
  TEMPORAL_TLS_CERT_FILE?: string;
  TEMPORAL_TLS_KEY_FILE?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
  TEMPORAL_API_KEY?: string;
  TEMPORAL_PAYLOAD_KEY?: string;
  TEMPORAL_PAYLOAD_KEY_ID?: string;
  TEMPORAL_PAYLOAD_OLD_KEYS: { id: string }[];
  CODEC_SERVER_TOKEN?: string;
};

/** The combinations that cannot work or would leak: TLS files without TLS, half an mTLS pair, a key without its id, ... */
export function checkTemporalConfig(env: TemporalEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const tlsFiles = ['TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_SERVER_NAME'] as const;
  for (const name of tlsFiles) if (env[name] && !env.TEMPORAL_TLS) issue(name, 'needs TEMPORAL_TLS=true');
  if (Boolean(env.TEMPORAL_TLS_CERT_FILE) !== Boolean(env.TEMPORAL_TLS_KEY_FILE))
    issue(env.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE', 'mTLS needs both the certificate and the key');
  if (env.TEMPORAL_API_KEY && !env.TEMPORAL_TLS) issue('TEMPORAL_API_KEY', 'is sent as a bearer token: set TEMPORAL_TLS=true');
  if (env.TEMPORAL_PAYLOAD_KEY && !env.TEMPORAL_PAYLOAD_KEY_ID) issue('TEMPORAL_PAYLOAD_KEY_ID', 'must name the payload key');
  if (env.TEMPORAL_PAYLOAD_KEY_ID && !env.TEMPORAL_PAYLOAD_KEY) issue('TEMPORAL_PAYLOAD_KEY', 'must be set with its id');
  if (env.TEMPORAL_PAYLOAD_OLD_KEYS.length && !env.TEMPORAL_PAYLOAD_KEY) issue('TEMPORAL_PAYLOAD_OLD_KEYS', 'needs a current TEMPORAL_PAYLOAD_KEY');
  const ids = [env.TEMPORAL_PAYLOAD_KEY_ID, ...env.TEMPORAL_PAYLOAD_OLD_KEYS.map((k) => k.id)].filter(Boolean);
  if (new Set(ids).size !== ids.length) issue('TEMPORAL_PAYLOAD_OLD_KEYS', 'key ids must differ from each other and from TEMPORAL_PAYLOAD_KEY_ID');
  if (env.CODEC_SERVER_TOKEN && !env.TEMPORAL_PAYLOAD_KEY) issue('CODEC_SERVER_TOKEN', 'the codec endpoint needs TEMPORAL_PAYLOAD_KEY');
}
