import type { Config } from '../../../config';
import { AfricasTalkingClient } from '../gateways/africastalking/at.client';
import { DarajaClient } from '../gateways/daraja/daraja.client';
import { PaystackClient } from '../gateways/paystack/paystack.client';
import type { PriceRules } from '../rules/pricing';
import type { DispenseOtpSettings } from '../workflows/definitions';

export type WaterConfig = Config;

/** The API's own origin for links gateways call back (PUBLIC_BASE_URL, else the local API). */
export const apiOrigin = (c: WaterConfig) => c.PUBLIC_BASE_URL ?? `http://127.0.0.1:${c.PORT}`;
const sandboxUrl = (c: WaterConfig, port: number) => `http://${c.PAYMENT_SANDBOX_HOST}:${port}`;

export interface WaterGateways {
  daraja: DarajaClient;
  paystack: PaystackClient;
  sms: AfricasTalkingClient;
}

/** The three outside systems, each pointed at its real host (a *_BASE_URL) or its local sandbox. */
export function createWaterGateways(c: WaterConfig, timeoutMs = 10_000): WaterGateways {
  return {
    daraja: new DarajaClient({
      baseUrl: c.DARAJA_BASE_URL ?? sandboxUrl(c, c.DARAJA_SANDBOX_PORT),
      consumerKey: c.DARAJA_CONSUMER_KEY,
      consumerSecret: c.DARAJA_CONSUMER_SECRET,
      shortcode: c.DARAJA_SHORTCODE,
      passkey: c.DARAJA_PASSKEY,
      callbackUrl: c.DARAJA_CALLBACK_URL ?? `${apiOrigin(c)}/water/api/payments/mpesa/callback`,
      timeoutMs,
    }),
    paystack: new PaystackClient({
      baseUrl: c.PAYSTACK_BASE_URL ?? sandboxUrl(c, c.PAYSTACK_SANDBOX_PORT),
      secretKey: c.PAYSTACK_SECRET_KEY,
      callbackUrl: c.PAYSTACK_CALLBACK_URL ?? `${apiOrigin(c)}/water/api/payments/paystack/callback`,
      timeoutMs,
    }),
    sms: new AfricasTalkingClient({
      baseUrl: c.AT_BASE_URL ?? sandboxUrl(c, c.AT_SANDBOX_PORT),
      username: c.AT_USERNAME,
      apiKey: c.AT_API_KEY,
      senderId: c.AT_SENDER_ID,
      timeoutMs,
    }),
  };
}

export const priceRules = (c: WaterConfig): PriceRules => ({
  pricePerLiter: c.WATER_PRICE_PER_LITER,
  minAmount: c.WATER_MIN_AMOUNT,
  maxAmount: c.WATER_MAX_AMOUNT,
  rounding: c.WATER_ROUNDING,
  currency: c.WATER_CURRENCY,
});

export const otpSettings = (c: WaterConfig): DispenseOtpSettings => ({
  ttlMs: c.WATER_OTP_TTL_MINUTES * 60_000,
  maxAttempts: c.WATER_OTP_MAX_ATTEMPTS,
  pulsesPerLiter: c.STATION_PULSES_PER_LITER,
  idleMs: c.WATER_DISPENSE_IDLE_MINUTES * 60_000,
  valveAckMs: c.WATER_VALVE_ACK_SECONDS * 1000,
  smsAttempts: c.WATER_SMS_ATTEMPTS,
});
