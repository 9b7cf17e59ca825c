import { z } from 'zod';
import { refuseDevDefaults, schemaDefaults, servedInProduction, type ProductionKeys } from './product-defaults';
import { identityConfigShape } from './identity';

/** The development NATS account key that signs app users' permissions (auth callout); production refuses it. */
export const DEV_NATS_ISSUER_SEED = 'SAAIDH6KMQRKXUYNCCKENYZEFZJSGAJ35UBB6T3P6IVFF2H5WW3WLATYNY';
export const DEV_NATS_SECRET = 'stationflow-dev-nats-secret-not-for-production';

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL');

/**
 * QPay v2 (the EV wallet's top-ups). Without QPAY_BASE_URL the local sandbox is used
 * (http://127.0.0.1:QPAY_SANDBOX_PORT/v2, started by `npm run dev`); production refuses it and the
 * development credentials.
 */
export const qpayConfigShape = {
  /** e.g. https://merchant.qpay.mn/v2 (production) or https://merchant-sandbox.qpay.mn/v2. */
  QPAY_BASE_URL: httpUrl.optional(),
  /** The merchant's client_id / client_secret (HTTP Basic on /v2/auth/token). */
  QPAY_USERNAME: z.string().min(1).default('TEST_MERCHANT'),
  QPAY_PASSWORD: z.string().min(1).default('stationflow-dev-qpay-password'),
  /** The invoice_code QPay assigned to the merchant. */
  QPAY_INVOICE_CODE: z.string().min(1).max(45).default('TEST_INVOICE'),
  /** Where QPay calls back; default <PUBLIC_BASE_URL or the dev API>/ev/api/qpay/callback (a per-invoice token is appended). */
  QPAY_CALLBACK_URL: httpUrl.optional(),
  QPAY_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(7407),
  /** An unpaid invoice is cancelled (DELETE /v2/invoice) and the top-up `canceled` after this long. */
  QPAY_INVOICE_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** First wait between two payment/check calls (doubles up to QPAY_MAX_POLL_SECONDS). */
  QPAY_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  QPAY_MAX_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** One top-up, in MNT. */
  QPAY_MIN_AMOUNT: z.coerce.number().int().min(1).default(100),
  QPAY_MAX_AMOUNT: z.coerce.number().int().min(1).default(5_000_000),
};

/** EV charging (seed 000): OTP length, NATS push, OCPP central system. Merged into the main schema. */
export const chargingConfigShape = {
  /**
   * Digits of the EV app's SMS code (the seed's example has 4). Fewer digits need a tighter
   * OTP_IDENTIFIER_MAX_FAILURES (failed codes per phone across all its codes in 24 h): with 4,
   * at most 3 (90 guesses in 30 days, a 0.9 % chance of hitting one code of 10,000).
   */
  EV_OTP_DIGITS: z.coerce.number().int().min(4).max(8).default(6),
  /** Where the backend (callout service, publisher) reaches NATS; unset, no push (the dev stack starts one). */
  NATS_URL: z.string().optional(),
  /** What the app is told to connect to (`nats.servers` in the login answer): the WebSocket listener. */
  NATS_PUBLIC_SERVERS: z.string().optional(),
  /** Key of the app users' NATS passwords and of the backend's own NATS users. */
  NATS_SECRET: z.string().min(16).default(DEV_NATS_SECRET),
  /** The AUTH account's nkey seed: it signs the user JWTs the auth callout returns. */
  NATS_ISSUER_SEED: z
    .string()
    .regex(/^SA[A-Z2-7]{56}$/, 'must be an account nkey seed (SA...)')
    .default(DEV_NATS_ISSUER_SEED),
  /** Subject prefix of the users' topics: `<prefix>.<userId>`. */
  /** A session starts only when the wallet (less other sessions' holds) has this much, in MNT minor units. */
  EV_MIN_BALANCE_MINOR: z.coerce.number().int().min(0).default(500_000),
  /** How long a session waits for the charger's StartTransaction after RemoteStartTransaction was accepted. */
  EV_START_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(90),
  /** How long a session waits for a charger that dropped its connection before billing from the last meter value. */
  EV_DISCONNECT_GRACE_SECONDS: z.coerce.number().int().positive().default(600),
  /** At most this many waiting minutes are billed (the car plugged in after charging ended). */
  EV_WAITING_CAP_MINUTES: z.coerce.number().int().min(0).default(120),
  /** The OCPP central system's port (WebSocket `ws://host:port/ocpp/<deviceNumber>`, commands on the same server). */
  OCPP_PORT: z.coerce.number().int().min(0).max(65535).default(9220),
  /** Where the workers reach the OCPP process to send a charger a command (unset: this host's OCPP_PORT; see ocppCommandUrl). */
  OCPP_COMMAND_URL: z.string().url().optional(),
  /** How long an operator's ChangeAvailability or Reset waits for the charger's answer. */
  OCPP_ADMIN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(15),
  /** Bearer token of the OCPP process's command endpoint. */
  OCPP_COMMAND_TOKEN: z.string().min(16).default('stationflow-dev-ocpp-command-token'),
  NATS_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
    .default('ev.user'),
  ...qpayConfigShape,
};

/** A 4-digit code with more than 3 failures a day allowed would give an attacker over 1 % in 30 days. */
export function checkChargingConfig(env: { EV_OTP_DIGITS: number; OTP_IDENTIFIER_MAX_FAILURES: number }, ctx: z.RefinementCtx): void {
  const chance = 1 - (1 - 10 ** -env.EV_OTP_DIGITS) ** (env.OTP_IDENTIFIER_MAX_FAILURES * 30);
  if (chance >= 0.01)
    ctx.addIssue({
      code: 'custom',
      path: ['OTP_IDENTIFIER_MAX_FAILURES'],
      message: `with ${env.EV_OTP_DIGITS}-digit codes, ${env.OTP_IDENTIFIER_MAX_FAILURES} failures a day give an attacker ${(chance * 100).toFixed(1)} % in 30 days (must stay under 1 %)`,
    });
}

const refuseChargingDevDefaults = refuseDevDefaults('ev', {
  ...schemaDefaults(chargingConfigShape, ['NATS_SECRET', 'NATS_ISSUER_SEED', 'OCPP_COMMAND_TOKEN', 'QPAY_USERNAME', 'QPAY_PASSWORD', 'QPAY_INVOICE_CODE']),
  ...schemaDefaults(identityConfigShape, ['MN_SMS_URL', 'MN_SMS_TOKEN']),
});

/**
 * Production with the EV surface served refuses the development NATS keys, OCPP command token,
 * Mongolian SMS sandbox, QPay sandbox credentials and the local QPay sandbox itself.
 */
export function checkChargingProductionConfig(c: ProductionKeys, ctx: z.RefinementCtx): void {
  refuseChargingDevDefaults(c, ctx);
  if (servedInProduction(c, 'ev') && !c.QPAY_BASE_URL)
    ctx.addIssue({ code: 'custom', path: ['QPAY_BASE_URL'], message: 'is unset: the ev surface would use the local QPay sandbox' });
}
