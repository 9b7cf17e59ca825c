import { loadConfig } from '../../src/config';
import {
  createGateways,
  defaultPaymentConfig,
  resolvePaymentSettings,
  startPaymentSandboxes,
  type EsewaGateway,
  type KhaltiGateway,
  type StripeGateway,
} from '../../src/modules/payments/gateways/registry';
import type { EsewaFormFields } from '../../src/modules/payments/gateways/esewa/esewa.protocol';

const BASE_ENV = {
  DATABASE_URL: 'postgres://x@127.0.0.1/db',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  JWT_SECRET: 'a-secret-long-enough',
};

describe('payment config: sandbox by default, real gateways with real credentials', () => {
  it('when no payment variables are set, then every adapter points at its local sandbox port with sandbox credentials', () => {
    const config = loadConfig({ ...BASE_ENV, PORT: '3000' });
    const s = resolvePaymentSettings(config);
    expect(s.khalti).toEqual({ sandbox: true, baseUrl: 'http://127.0.0.1:7401', secretKey: 'sandbox_khalti_live_secret_key' });
    expect(s.esewa).toMatchObject({
      sandbox: true,
      formBaseUrl: 'http://127.0.0.1:7402',
      statusBaseUrl: 'http://127.0.0.1:7402',
      productCode: 'EPAYTEST',
      secretKey: '8gBm/:&EnhH.1/q',
    });
    expect(s.stripe).toMatchObject({
      sandbox: true,
      apiUrl: 'http://127.0.0.1:7403',
      currency: 'NPR',
      sandboxWebhookUrl: 'http://127.0.0.1:3000/api/payment/webhook/stripe',
      secretKey: 'sk_test_stationflow_sandbox',
      webhookSecret: 'whsec_stationflow_sandbox',
    });
    const g = createGateways(config);
    expect((g.khalti as KhaltiGateway).baseUrl).toBe('http://127.0.0.1:7401');
    expect((g.esewa as EsewaGateway).statusUrl).toBe('http://127.0.0.1:7402/api/epay/transaction/status/');
    expect((g.stripe as StripeGateway).apiUrl).toBe('http://127.0.0.1:7403');
  });

  it('when a real key is set for one gateway, then only that gateway switches to its real host (test or live)', () => {
    const test = resolvePaymentSettings(loadConfig({ ...BASE_ENV, KHALTI_SECRET_KEY: 'live_secret_key_abc' }));
    expect(test.khalti).toMatchObject({ sandbox: false, baseUrl: 'https://dev.khalti.com', secretKey: 'live_secret_key_abc' });
    expect(test.stripe.sandbox).toBe(true);
    const live = resolvePaymentSettings(
      loadConfig({
        ...BASE_ENV,
        PAYMENT_GATEWAY_ENV: 'live',
        KHALTI_SECRET_KEY: 'k',
        ESEWA_SECRET_KEY: 'e',
        ESEWA_PRODUCT_CODE: 'NP-ES-SHOP',
        STRIPE_SECRET_KEY: 'sk_live_abc',
        STRIPE_WEBHOOK_SECRET: 'whsec_live',
      }),
    );
    expect(live.khalti.baseUrl).toBe('https://khalti.com');
    expect(live.esewa).toMatchObject({
      sandbox: false,
      formBaseUrl: 'https://epay.esewa.com.np',
      statusBaseUrl: 'https://epay.esewa.com.np',
      productCode: 'NP-ES-SHOP',
    });
    expect(live.stripe).toMatchObject({ sandbox: false, apiUrl: 'https://api.stripe.com', paymentPageUrl: undefined });
    const uat = resolvePaymentSettings(
      loadConfig({ ...BASE_ENV, PAYMENT_SANDBOX: 'false', KHALTI_SECRET_KEY: 'k', STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_WEBHOOK_SECRET: 'whsec_a' }),
    );
    expect(uat.esewa).toMatchObject({ formBaseUrl: 'https://rc-epay.esewa.com.np', statusBaseUrl: 'https://rc.esewa.com.np' });
  });

  it('when real gateways are forced without keys, or a Stripe key comes without its webhook secret, then settings refuse with the variable named', () => {
    expect(() => resolvePaymentSettings(loadConfig({ ...BASE_ENV, PAYMENT_SANDBOX: 'false' }))).toThrow(/KHALTI_SECRET_KEY/);
    expect(() => resolvePaymentSettings(loadConfig({ ...BASE_ENV, STRIPE_SECRET_KEY: 'sk_test_x' }))).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...BASE_ENV, STRIPE_SECRET_KEY: 'pk_test_x' })).toThrow(/STRIPE_SECRET_KEY/);
  });

  it('when startPaymentSandboxes runs on free ports, then createGateways over its env completes a payment on each gateway', async () => {
    const sb = await startPaymentSandboxes({ ports: 0, config: defaultPaymentConfig({}) });
    try {
      const g = createGateways(loadConfig({ ...BASE_ENV, ...sb.env }));
      const input = (gw: string) => ({
        intentId: `e2e-${gw}-${Date.now()}`,
        amountMinor: 110_00,
        currency: 'NPR',
        description: 'Top-up',
        returnUrl: 'http://127.0.0.1:9/return',
        idempotencyKey: `e2e-${gw}`,
      });

      const k = input('khalti');
      const ks = await g.khalti.createSession(k);
      await sb.khalti.pay(ks.gatewayRef);
      expect(await g.khalti.lookup(ks.gatewayRef, k)).toMatchObject({ status: 'success', amountMinor: 11_000 });

      const e = input('esewa');
      const es = await g.esewa.createSession(e);
      expect((await sb.esewa.submitForm((es.extra as { formFields: EsewaFormFields }).formFields as unknown as Record<string, string>)).status).toBe(200);
      await sb.esewa.pay(es.gatewayRef);
      expect(await g.esewa.lookup(es.gatewayRef, e)).toMatchObject({ status: 'success', amountMinor: 11_000 });

      const s = input('stripe');
      const ss = await g.stripe.createSession(s);
      expect(ss.paymentUrl).toBe(`${sb.stripe.url}/__sandbox/checkout/${ss.gatewayRef}`);
      await sb.stripe.pay(ss.gatewayRef);
      expect(await g.stripe.lookup(ss.gatewayRef, s)).toMatchObject({ status: 'success', amountMinor: 11_000 });
    } finally {
      await sb.stop();
    }
  });
});
