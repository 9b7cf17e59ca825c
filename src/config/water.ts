import { refuseDevDefaults, schemaDefaults, servedInProduction, type ProductionKeys } from './product-defaults';
import { z } from 'zod';

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL');
const port = z.coerce.number().int().min(0).max(65535);
const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Water stations (seed 002): prices, OTP rules, station credentials and the three outside systems
 * (Daraja M-Pesa, Paystack, Africa's Talking SMS). Without a *_BASE_URL each talks to its local
 * sandbox on loopback (`npm run dev` starts them). Merged into the main config schema.
 */
export const waterConfigShape = {
  WATER_PRICE_PER_LITER: int(1, 10_000, 5),
  WATER_MIN_AMOUNT: int(1, 1_000_000, 10),
  WATER_MAX_AMOUNT: int(1, 1_000_000, 10_000),
  WATER_ROUNDING: z.enum(['nearest', 'up', 'down']).default('nearest'),
  WATER_PAYMENT_TIMEOUT_MINUTES: int(1, 24 * 60, 30),
  WATER_OTP_TTL_MINUTES: int(1, 24 * 60, 10),
  WATER_OTP_MAX_ATTEMPTS: int(1, 20, 3),
  STATION_PULSES_PER_LITER: int(1, 100_000, 1000),
  /** Minutes a station may stay silent while dispensing before what it delivered counts as final. */
  WATER_DISPENSE_IDLE_MINUTES: int(1, 24 * 60, 15),
  /** Seconds a station has to ack the `open_valve` command after a verify; no ack: the OTP stays usable. */
  WATER_VALVE_ACK_SECONDS: int(1, 300, 15),
  /** Tries of the SMS with a code (backing off 1 s doubling to 1 min) before its run parks as needs_attention. */
  WATER_SMS_ATTEMPTS: int(1, 100, 8),
  /** Key of the OTP hashes (HMAC-SHA256); only the keyed hash of a code is stored. */
  WATER_OTP_KEY: z.string().min(16).default('stationflow-dev-water-otp-key-not-for-production'),
  /** Key that encrypts the stations' own secrets at rest (water_station_secrets); the demo stations' initial secret is HMAC-SHA256(this, stationId). */
  WATER_STATION_SECRET: z.string().min(16).default('stationflow-dev-water-station-secret-not-for-production'),
  /** Minutes a station's previous secret keeps working after an admin rotated it. */
  WATER_STATION_SECRET_OVERLAP_MINUTES: int(0, 7 * 24 * 60, 60),
  /** `limit/seconds` per client IP on the whole water surface (seed: 100 per 15 minutes). */
  WATER_RATE_LIMIT: z
    .string()
    .regex(/^\d+\/\d+$/, 'must be limit/seconds, e.g. 100/900')
    .default('100/900'),
  /** Where Daraja posts STK results; default <PUBLIC_BASE_URL or the dev API>/water/api/payments/mpesa/callback. */
  DARAJA_CALLBACK_URL: httpUrl.optional(),
  DARAJA_BASE_URL: httpUrl.optional(),
  DARAJA_CONSUMER_KEY: z.string().min(1).default('sandbox-consumer-key'),
  DARAJA_CONSUMER_SECRET: z.string().min(1).default('sandbox-consumer-secret'),
  DARAJA_SHORTCODE: z
    .string()
    .regex(/^\d{5,7}$/)
    .default('174379'),
  /** Default: Daraja's published sandbox passkey for 174379. */
  DARAJA_PASSKEY: z.string().min(1).default('bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919'),
  DARAJA_SANDBOX_PORT: port.default(7404),
  PAYSTACK_BASE_URL: httpUrl.optional(),
  PAYSTACK_SECRET_KEY: z.string().min(1).default('sk_test_stationflow_sandbox'),
  /** Where the customer's browser returns after the Paystack page; default <base>/water/api/payments/paystack/callback. */
  PAYSTACK_CALLBACK_URL: httpUrl.optional(),
  PAYSTACK_SANDBOX_PORT: port.default(7405),
  AT_BASE_URL: httpUrl.optional(),
  AT_USERNAME: z.string().min(1).default('sandbox'),
  AT_API_KEY: z.string().min(1).default('atsk_stationflow_sandbox'),
  AT_SENDER_ID: z.string().min(1).optional(),
  AT_SANDBOX_PORT: port.default(7406),
  /** Secret query parameter Africa's Talking's delivery reports must carry (`?token=`); unset, reports are refused. */
  AT_DELIVERY_REPORT_TOKEN: z.string().min(8).default('stationflow-dev-sms-report-token'),
};

const waterSandboxSchema = z.object({
  ...waterConfigShape,
  PORT: port.default(3000),
  PUBLIC_BASE_URL: z.string().optional(),
  PAYMENT_SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
});
export type WaterSandboxConfig = z.infer<typeof waterSandboxSchema>;

/** The water keys alone (for `npm run dev`, which starts the sandboxes before the full environment exists). */
export const parseWaterConfig = (env: NodeJS.ProcessEnv): WaterSandboxConfig => waterSandboxSchema.parse(env);

const WATER_DEV_DEFAULTS = schemaDefaults(waterConfigShape, [
  'WATER_OTP_KEY',
  'WATER_STATION_SECRET',
  'AT_DELIVERY_REPORT_TOKEN',
  'DARAJA_CONSUMER_KEY',
  'DARAJA_CONSUMER_SECRET',
  'PAYSTACK_SECRET_KEY',
  'AT_API_KEY',
]);
const refuseWaterDevDefaults = refuseDevDefaults('water', WATER_DEV_DEFAULTS);

/**
 * NODE_ENV=production with the water surface served: no development key and no local sandbox may
 * remain, unless PAYMENT_SANDBOX=true asks for the sandboxes knowingly (as the bench does).
 */
export function checkWaterProductionConfig(c: ProductionKeys, ctx: z.RefinementCtx): void {
  refuseWaterDevDefaults(c, ctx);
  if (!servedInProduction(c, 'water')) return;
  for (const key of ['DARAJA_BASE_URL', 'PAYSTACK_BASE_URL', 'AT_BASE_URL'])
    if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is unset: the water surface would use its local sandbox' });
}
