import type { Config } from '../../../config';
import { ESEWA_UAT_SECRET } from './esewa/esewa.signature';

/** The config keys the payment adapters and sandboxes read. */
export type PaymentConfig = Pick<
  Config,
  | 'PAYMENT_SANDBOX'
  | 'PAYMENT_GATEWAY_ENV'
  | 'PAYMENT_SANDBOX_HOST'
  | 'KHALTI_BASE_URL'
  | 'KHALTI_SECRET_KEY'
  | 'KHALTI_SANDBOX_PORT'
  | 'ESEWA_BASE_URL'
  | 'ESEWA_STATUS_URL'
  | 'ESEWA_PRODUCT_CODE'
  | 'ESEWA_SECRET_KEY'
  | 'ESEWA_SANDBOX_PORT'
  | 'STRIPE_API_URL'
  | 'STRIPE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STRIPE_CURRENCY'
  | 'STRIPE_PAYMENT_PAGE_URL'
  | 'STRIPE_SANDBOX_PORT'
  | 'STRIPE_SANDBOX_WEBHOOK_URL'
> &
  Partial<Pick<Config, 'PORT' | 'SURFACES'>>;

/** Credentials the local sandboxes use when none are configured. */
export const SANDBOX_CREDENTIALS = {
  khaltiSecretKey: 'sandbox_khalti_live_secret_key',
  stripeSecretKey: 'sk_test_stationflow_sandbox',
  stripeWebhookSecret: 'whsec_stationflow_sandbox',
} as const;

const REAL_HOSTS = {
  test: { khalti: 'https://dev.khalti.com', esewaForm: 'https://rc-epay.esewa.com.np', esewaStatus: 'https://rc.esewa.com.np' },
  live: { khalti: 'https://khalti.com', esewaForm: 'https://epay.esewa.com.np', esewaStatus: 'https://epay.esewa.com.np' },
};

export interface PaymentSettings {
  khalti: { sandbox: boolean; baseUrl: string; secretKey: string };
  esewa: { sandbox: boolean; formBaseUrl: string; statusBaseUrl: string; productCode: string; secretKey: string };
  stripe: { sandbox: boolean; apiUrl: string; secretKey: string; webhookSecret: string; currency: string; paymentPageUrl?: string; sandboxWebhookUrl?: string };
  sandboxPorts: { khalti: number; esewa: number; stripe: number };
  sandboxHost: string;
}

export class PaymentConfigError extends Error {}

/**
 * Decides, per gateway, sandbox or real: PAYMENT_SANDBOX when given, otherwise "sandbox unless a
 * secret key is configured". An explicit *_BASE_URL / *_API_URL always wins over the defaults.
 */
export function resolvePaymentSettings(c: PaymentConfig): PaymentSettings {
  const host = c.PAYMENT_SANDBOX_HOST;
  const real = REAL_HOSTS[c.PAYMENT_GATEWAY_ENV];
  const local = (p: number) => `http://${host}:${p}`;

  const khaltiSandbox = c.PAYMENT_SANDBOX ?? !c.KHALTI_SECRET_KEY;
  const esewaSandbox = c.PAYMENT_SANDBOX ?? !c.ESEWA_SECRET_KEY;
  const stripeSandbox = c.PAYMENT_SANDBOX ?? !c.STRIPE_SECRET_KEY;
  if (!khaltiSandbox && !c.KHALTI_SECRET_KEY) throw new PaymentConfigError('KHALTI_SECRET_KEY is required when PAYMENT_SANDBOX=false');
  if (!stripeSandbox && !c.STRIPE_SECRET_KEY) throw new PaymentConfigError('STRIPE_SECRET_KEY is required when PAYMENT_SANDBOX=false');
  if (!stripeSandbox && !c.STRIPE_WEBHOOK_SECRET)
    throw new PaymentConfigError('STRIPE_WEBHOOK_SECRET is required with a real Stripe key (webhooks could not be verified)');

  const esewaForm = c.ESEWA_BASE_URL ?? (esewaSandbox ? local(c.ESEWA_SANDBOX_PORT) : real.esewaForm);
  const stripeApi = c.STRIPE_API_URL ?? (stripeSandbox ? local(c.STRIPE_SANDBOX_PORT) : 'https://api.stripe.com');
  const chargeghar = c.SURFACES?.find((s) => s.name === 'chargeghar')?.mount ?? '/api';
  return {
    khalti: {
      sandbox: khaltiSandbox,
      baseUrl: c.KHALTI_BASE_URL ?? (khaltiSandbox ? local(c.KHALTI_SANDBOX_PORT) : real.khalti),
      secretKey: c.KHALTI_SECRET_KEY ?? SANDBOX_CREDENTIALS.khaltiSecretKey,
    },
    esewa: {
      sandbox: esewaSandbox,
      formBaseUrl: esewaForm,
      statusBaseUrl: c.ESEWA_STATUS_URL ?? (c.ESEWA_BASE_URL || esewaSandbox ? esewaForm : real.esewaStatus),
      productCode: c.ESEWA_PRODUCT_CODE,
      secretKey: c.ESEWA_SECRET_KEY ?? ESEWA_UAT_SECRET,
    },
    stripe: {
      sandbox: stripeSandbox,
      apiUrl: stripeApi,
      secretKey: c.STRIPE_SECRET_KEY ?? SANDBOX_CREDENTIALS.stripeSecretKey,
      webhookSecret: c.STRIPE_WEBHOOK_SECRET ?? SANDBOX_CREDENTIALS.stripeWebhookSecret,
      currency: c.STRIPE_CURRENCY.toUpperCase(),
      paymentPageUrl: c.STRIPE_PAYMENT_PAGE_URL ?? (stripeSandbox ? `${stripeApi.replace(/\/+$/, '')}/__sandbox/checkout` : undefined),
      sandboxWebhookUrl:
        c.STRIPE_SANDBOX_WEBHOOK_URL ?? (c.PORT ? `http://127.0.0.1:${c.PORT}${chargeghar === '/' ? '' : chargeghar}/payment/webhook/stripe` : undefined),
    },
    sandboxPorts: { khalti: c.KHALTI_SANDBOX_PORT, esewa: c.ESEWA_SANDBOX_PORT, stripe: c.STRIPE_SANDBOX_PORT },
    sandboxHost: host,
  };
}
