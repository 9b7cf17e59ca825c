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
