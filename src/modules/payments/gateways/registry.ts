import { paymentConfigSchema } from '../../../config';
import { EsewaGateway } from './esewa/esewa.adapter';
import { startEsewaSandbox, type EsewaSandbox, type EsewaSandboxOptions } from './esewa/esewa.sandbox';
import type { GatewayName, PaymentGateway } from './gateway';
import { KhaltiGateway } from './khalti/khalti.adapter';
import { startKhaltiSandbox, type KhaltiSandbox, type KhaltiSandboxOptions } from './khalti/khalti.sandbox';
import { resolvePaymentSettings, type PaymentConfig, type PaymentSettings } from './settings';
import { StripeGateway } from './stripe/stripe.adapter';
import { startStripeSandbox, type StripeSandbox, type StripeSandboxOptions } from './stripe/stripe.sandbox';

export * from './gateway';
export { resolvePaymentSettings, SANDBOX_CREDENTIALS, type PaymentConfig, type PaymentSettings } from './settings';
export { minorToRupeeString, rupeeStringToMinor } from './amounts';
export { KhaltiGateway, EsewaGateway, StripeGateway };
export type { KhaltiSandbox, EsewaSandbox, StripeSandbox };

export type Gateways = Record<GatewayName, PaymentGateway>;

/** How each adapter is built from the resolved settings. */
const BUILDERS: Record<GatewayName, (s: PaymentSettings, timeoutMs?: number) => PaymentGateway> = {
  khalti: (s, timeoutMs) => new KhaltiGateway({ baseUrl: s.khalti.baseUrl, secretKey: s.khalti.secretKey, timeoutMs }),
  esewa: (s, timeoutMs) =>
    new EsewaGateway({
      formBaseUrl: s.esewa.formBaseUrl,
      statusBaseUrl: s.esewa.statusBaseUrl,
      productCode: s.esewa.productCode,
      secretKey: s.esewa.secretKey,
      timeoutMs,
    }),
  stripe: (s, timeoutMs) =>
    new StripeGateway({
      apiUrl: s.stripe.apiUrl,
      secretKey: s.stripe.secretKey,
      webhookSecret: s.stripe.webhookSecret,
      currency: s.stripe.currency,
      paymentPageUrl: s.stripe.paymentPageUrl,
      timeoutMs,
    }),
};

/**
 * The adapters named in `only` (default: all), pointed at the sandboxes or the real gateways as
 * the config says. A deployment builds just the gateways its surfaces use (src/workers/compose).
 */
export function createGateways<N extends GatewayName = GatewayName>(
  config: PaymentConfig,
  opts: { timeoutMs?: number; only?: readonly N[] } = {},
): Pick<Gateways, N> {
  const s = resolvePaymentSettings(config);
  const names = opts.only ?? (Object.keys(BUILDERS) as N[]);
  return Object.fromEntries(names.map((name) => [name, BUILDERS[name](s, opts.timeoutMs)])) as Pick<Gateways, N>;
}

export interface PaymentSandboxes {
  khalti: KhaltiSandbox;
  esewa: EsewaSandbox;
  stripe: StripeSandbox;
  /** Environment that points a config at these sandboxes (merge into loadConfig's env / startTestStack's env). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StartPaymentSandboxesOptions {
  /** Ports and credentials come from here (defaults: the config defaults, i.e. 7401-7403 on 127.0.0.1). */
  config?: PaymentConfig;
  /** 0 = free ports (tests). Overrides the config's *_SANDBOX_PORT. */
  ports?: { khalti?: number; esewa?: number; stripe?: number } | 0;
  khalti?: Partial<KhaltiSandboxOptions>;
  esewa?: Partial<EsewaSandboxOptions>;
  stripe?: Partial<StripeSandboxOptions>;
}

/** Starts all three sandboxes in this process with the credentials the adapters will use. */
export async function startPaymentSandboxes(opts: StartPaymentSandboxesOptions = {}): Promise<PaymentSandboxes> {
  const s = resolvePaymentSettings(opts.config ?? defaultPaymentConfig());
  const port = (name: 'khalti' | 'esewa' | 'stripe') => (opts.ports === 0 ? 0 : (opts.ports?.[name] ?? s.sandboxPorts[name]));
  const started: { stop(): Promise<void> }[] = [];
  try {
    const khalti = await startKhaltiSandbox({ host: s.sandboxHost, port: port('khalti'), secretKey: s.khalti.secretKey, ...opts.khalti });
    started.push(khalti);
    const esewa = await startEsewaSandbox({ host: s.sandboxHost, port: port('esewa'), merchants: { [s.esewa.productCode]: s.esewa.secretKey }, ...opts.esewa });
    started.push(esewa);
    const stripe = await startStripeSandbox({
      host: s.sandboxHost,
      port: port('stripe'),
      secretKey: s.stripe.secretKey,
      webhookSecret: s.stripe.webhookSecret,
      webhookUrl: s.stripe.sandboxWebhookUrl,
      ...opts.stripe,
    });
    started.push(stripe);
    const env: Record<string, string> = {
      PAYMENT_SANDBOX: 'true',
      KHALTI_BASE_URL: khalti.url,
      KHALTI_SECRET_KEY: s.khalti.secretKey,
      ESEWA_BASE_URL: esewa.url,
      ESEWA_STATUS_URL: esewa.url,
      ESEWA_PRODUCT_CODE: s.esewa.productCode,
      ESEWA_SECRET_KEY: s.esewa.secretKey,
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: s.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: s.stripe.webhookSecret,
      STRIPE_PAYMENT_PAGE_URL: `${stripe.url}/__sandbox/checkout`,
    };
    return {
      khalti,
      esewa,
      stripe,
      env,
      stop: async () => {
        await Promise.all(started.map((x) => x.stop()));
      },
    };
  } catch (err) {
    await Promise.all(started.map((x) => x.stop()));
    throw err;
  }
}

/** The payment keys parsed from an environment (defaults for whatever is not set). */
export function defaultPaymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  return paymentConfigSchema.parse(env);
}
