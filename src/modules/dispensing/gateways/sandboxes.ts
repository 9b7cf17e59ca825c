import type { WaterSandboxConfig } from '../../../config';
import { startAtSandbox, type AtSandbox } from './africastalking/at.sandbox';
import { startDarajaSandbox, type DarajaSandbox } from './daraja/daraja.sandbox';
import { startPaystackSandbox, type PaystackSandbox } from './paystack/paystack.sandbox';

export interface WaterSandboxes {
  daraja: DarajaSandbox;
  paystack: PaystackSandbox;
  sms: AtSandbox;
  stop(): Promise<void>;
}

/**
 * The three local sandboxes of the water product on their configured ports, with the config's
 * credentials; Paystack's webhooks and Africa's Talking's delivery reports go to this API (as
 * their dashboards would be set). `npm run dev` starts them unless *_BASE_URL points elsewhere.
 */
export async function startWaterSandboxes(c: WaterSandboxConfig): Promise<WaterSandboxes> {
  const host = c.PAYMENT_SANDBOX_HOST;
  const api = `${c.PUBLIC_BASE_URL ?? `http://127.0.0.1:${c.PORT}`}/water/api`;
  const daraja = await startDarajaSandbox({
    host,
    port: c.DARAJA_SANDBOX_PORT,
    consumerKey: c.DARAJA_CONSUMER_KEY,
    consumerSecret: c.DARAJA_CONSUMER_SECRET,
    shortcode: c.DARAJA_SHORTCODE,
    passkey: c.DARAJA_PASSKEY,
  });
  const paystack = await startPaystackSandbox({
    host,
    port: c.PAYSTACK_SANDBOX_PORT,
    secretKey: c.PAYSTACK_SECRET_KEY,
    webhookUrl: `${api}/payments/paystack/webhook`,
  });
  const sms = await startAtSandbox({
    host,
    port: c.AT_SANDBOX_PORT,
    apiKey: c.AT_API_KEY,
    username: c.AT_USERNAME,
    deliveryReportUrl: `${api}/sms/delivery-reports?token=${encodeURIComponent(c.AT_DELIVERY_REPORT_TOKEN)}`,
  });
  return {
    daraja,
    paystack,
    sms,
    stop: async () => {
      await Promise.all([daraja.stop(), paystack.stop(), sms.stop()]);
    },
  };
}

/** The credentials the test and fuzz stacks give their sandboxes (not the dev defaults, so a test never reaches a dev sandbox). */
export const WATER_TEST_CREDENTIALS = {
  daraja: {
    consumerKey: 'test-key',
    consumerSecret: 'test-secret',
    shortcode: '174379',
    passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  },
  paystackSecretKey: 'sk_test_water_sandbox',
  at: { apiKey: 'at-test-key', username: 'sandbox' },
};

export interface WaterTestSandboxes extends WaterSandboxes {
  /** What a stack's environment needs to reach the three sandboxes. */
  env: Record<string, string>;
  /** Once the stack's API listens: M-Pesa callbacks, Paystack webhooks and delivery reports go to it. */
  connect(apiBaseUrl: string, deliveryReportToken: string): void;
}

/**
 * The three sandboxes on free ports for a test or fuzz stack (whose API port is chosen after its
 * configuration): Daraja's callbacks are sent to the path of DARAJA_CALLBACK_URL on that API.
 */
export async function startWaterTestSandboxes(): Promise<WaterTestSandboxes> {
  const c = WATER_TEST_CREDENTIALS;
  let base = '';
  const daraja = await startDarajaSandbox({ ...c.daraja, rewriteCallbackUrl: (u) => base + new URL(u).pathname });
  const sms = await startAtSandbox(c.at);
  const paystack = await startPaystackSandbox({ secretKey: c.paystackSecretKey });
  return {
    daraja,
    sms,
    paystack,
    env: {
      DARAJA_BASE_URL: daraja.url,
      DARAJA_CONSUMER_KEY: c.daraja.consumerKey,
      DARAJA_CONSUMER_SECRET: c.daraja.consumerSecret,
      DARAJA_CALLBACK_URL: 'https://water.example.com/water/api/payments/mpesa/callback',
      AT_BASE_URL: sms.url,
      AT_API_KEY: c.at.apiKey,
      PAYSTACK_BASE_URL: paystack.url,
      PAYSTACK_SECRET_KEY: c.paystackSecretKey,
    },
    connect: (apiBaseUrl, deliveryReportToken) => {
      base = apiBaseUrl;
      paystack.webhookUrl = `${apiBaseUrl}/water/api/payments/paystack/webhook`;
      sms.deliveryReportUrl = `${apiBaseUrl}/water/api/sms/delivery-reports?token=${deliveryReportToken}`;
    },
    stop: async () => {
      await daraja.stop();
      await sms.stop();
      await paystack.stop();
    },
  };
}
