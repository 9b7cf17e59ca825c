import { DEV_DEFAULTS, DEV_MQTT_AUTH_SECRET, loadConfig } from '../../src/config';
import { DEV_OTP_HASH_SECRET } from '../../src/config/identity';
import { SANDBOX_CREDENTIALS } from '../../src/modules/payments/gateways/settings';
import { ESEWA_UAT_SECRET } from '../../src/modules/payments/gateways/esewa/esewa.signature';
import { configRefusal } from '../support/config';
import { spawnTsx } from '../support/processes';

/** Issue 10 item 8: NODE_ENV=production refuses every development or sandbox default, one variable at a time. */
describe('production configuration refuses development defaults', () => {
  /** A production environment with nothing left at a development value. */
  const prod: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://app:secret@db.internal:5432/stationflow',
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    MQTT_URL: 'mqtt://broker.internal:1883',
    JWT_SECRET: 'Zr8v1xQ2mK9pL4sT7wY0bN3cF6hJ5dG8eA1uI2oP',
    OTP_HASH_SECRET: 'otp-hash-secret-for-production-0123',
    PUBLIC_BASE_URL: 'https://api.chargeghar.example',
    KHALTI_SECRET_KEY: 'live_secret_key_0123456789abcdef',
    ESEWA_SECRET_KEY: 'esewa-merchant-secret-0123',
    ESEWA_PRODUCT_CODE: 'CHARGEGHAR',
    STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef',
    STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
    SPARROW_TOKEN: 'v2_real_sparrow_token',
    SPARROW_BASE_URL: 'https://api.sparrowsms.com/v2',
    SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
    MQTT_AUTH_SECRET: 'mqtt-identity-key-for-production-0123456789',
    // The water surface (seed 002, served by default): real gateways and keys.
    WATER_OTP_KEY: 'water-otp-key-for-production-0123456789',
    WATER_STATION_SECRET: 'water-station-root-secret-for-production-0123',
    AT_DELIVERY_REPORT_TOKEN: 'at-report-token-for-production',
    DARAJA_BASE_URL: 'https://api.safaricom.co.ke',
    DARAJA_CONSUMER_KEY: 'daraja-live-consumer-key',
    DARAJA_CONSUMER_SECRET: 'daraja-live-consumer-secret',
    PAYSTACK_BASE_URL: 'https://api.paystack.co',
    PAYSTACK_SECRET_KEY: 'sk_live_paystack_0123456789',
    AT_BASE_URL: 'https://api.africastalking.com',
    AT_API_KEY: 'atsk_live_0123456789',
    // The fleet surface (seed 004): MSG91, the NBFC and Razorpay, for real.
    MSG91_BASE_URL: 'https://control.msg91.com',
    MSG91_AUTH_KEY: 'msg91-live-auth-key',
    MSG91_TEMPLATE_ID: 'dlt-flow-template-001',
    NBFC_BASE_URL: 'https://partner-api.nbfc.example',
    NBFC_API_KEY: 'nbfc-live-api-key',
    NBFC_WEBHOOK_SECRET: 'nbfc-webhook-secret-for-production',
    RAZORPAY_BASE_URL: 'https://api.razorpay.com/v1',
    RAZORPAY_KEY_ID: 'rzp_live_0123456789',
    RAZORPAY_KEY_SECRET: 'razorpay-live-key-secret',
    RAZORPAY_WEBHOOK_SECRET: 'razorpay-webhook-secret-for-production',
    // The EV surface (seed 000): its own NATS keys, OCPP command token and SMS gateway.
    NATS_SECRET: 'nats-secret-for-production-0123456789',
    NATS_ISSUER_SEED: 'SAAGQZ4SPZ6IHPMDGEQCQC5OGBQNQIDOQQK6WIEWTYIPQVWTQWBHD5CFJQ',
    OCPP_COMMAND_TOKEN: 'ocpp-command-token-for-production',
    MN_SMS_URL: 'https://sms.mn.example/send',
    MN_SMS_TOKEN: 'mn-sms-live-token',
    QPAY_BASE_URL: 'https://merchant.qpay.mn/v2',
    QPAY_USERNAME: 'STATIONFLOW_MN',
    QPAY_PASSWORD: 'qpay-live-client-secret',
    QPAY_INVOICE_CODE: 'STATIONFLOW_MN_INVOICE',
  };
  const refusal = configRefusal;

  it('when every secret and URL is a real one, then production starts', () => {
    expect(loadConfig(prod).NODE_ENV).toBe('production');
  });

  it.each([
    ['fleet', 'NBFC_WEBHOOK_SECRET'],
    ['fleet', 'RAZORPAY_BASE_URL'],
    ['fleet', 'MSG91_AUTH_KEY'],
    ['ev', 'NATS_SECRET'],
    ['ev', 'OCPP_COMMAND_TOKEN'],
    ['ev', 'MN_SMS_URL'],
    ['ev', 'QPAY_PASSWORD'],
    ['ev', 'QPAY_INVOICE_CODE'],
  ])('when the %s surface is served and %s is left at its development default, then production refuses it; without that surface it starts', (surface, key) => {
    const env = { ...prod, [key]: undefined } as Record<string, string>;
    expect(refusal(env)).toMatch(new RegExp(`${key}: is a development value \\(the ${surface} surface is served\\)`));
    const others = 'chargeghar:/api,ev:/ev/api,water:/water/api,fleet:/fleet/api'.split(',').filter((s) => !s.startsWith(`${surface}:`));
    expect(loadConfig({ ...env, SURFACES: others.join(',') }).NODE_ENV).toBe('production');
  });

  it('when the ev surface is served without QPAY_BASE_URL, then production refuses the local QPay sandbox', () => {
    expect(refusal({ ...prod, QPAY_BASE_URL: undefined } as never)).toMatch(/QPAY_BASE_URL: is unset: the ev surface would use the local QPay sandbox/);
  });

  it('when the sandbox values named in config are compared with the modules own, then they are the same', () => {
    expect(DEV_DEFAULTS).toMatchObject({
      khaltiSecretKey: SANDBOX_CREDENTIALS.khaltiSecretKey,
      stripeSecretKey: SANDBOX_CREDENTIALS.stripeSecretKey,
      stripeWebhookSecret: SANDBOX_CREDENTIALS.stripeWebhookSecret,
      esewaUatSecret: ESEWA_UAT_SECRET,
    });
    expect(loadConfig({ ...prod, NODE_ENV: 'development', SPARROW_TOKEN: undefined, SPARROW_BASE_URL: undefined, SMTP_URL: undefined } as never)).toMatchObject(
      {
        SPARROW_TOKEN: DEV_DEFAULTS.sparrowToken,
        SPARROW_BASE_URL: DEV_DEFAULTS.sparrowBaseUrl,
        SMTP_URL: DEV_DEFAULTS.smtpUrl,
      },
    );
  });

  it('when JWT_SECRET is shorter than 32 bytes, then production refuses it', () => {
    expect(refusal({ ...prod, JWT_SECRET: 'only-thirty-one-bytes-long-xxxx' })).toMatch(/JWT_SECRET: must be at least 32 random bytes/);
    expect(loadConfig({ ...prod, NODE_ENV: 'development', JWT_SECRET: 'only-thirty-one-bytes-long-xxxx' }).JWT_SECRET).toHaveLength(31);
  });

  it.each(DEV_DEFAULTS.jwtSecrets)('when JWT_SECRET is the development value %s, then production refuses it', (secret) => {
    expect(refusal({ ...prod, JWT_SECRET: secret })).toMatch(/JWT_SECRET: is a development value/);
  });

  it('when OTP_HASH_SECRET is left at its development value, then production refuses it', () => {
    expect(refusal({ ...prod, OTP_HASH_SECRET: DEV_OTP_HASH_SECRET })).toMatch(/OTP_HASH_SECRET: must be set in production/);
  });

  it('when KHALTI_SECRET_KEY is the sandbox key, then production refuses it', () => {
    expect(refusal({ ...prod, KHALTI_SECRET_KEY: SANDBOX_CREDENTIALS.khaltiSecretKey })).toMatch(/KHALTI_SECRET_KEY: is the sandbox key/);
  });

  it('when STRIPE_SECRET_KEY is the sandbox key, then production refuses it', () => {
    expect(refusal({ ...prod, STRIPE_SECRET_KEY: SANDBOX_CREDENTIALS.stripeSecretKey })).toMatch(/STRIPE_SECRET_KEY: is the sandbox key/);
  });

  it('when STRIPE_WEBHOOK_SECRET is the sandbox secret, then production refuses it', () => {
    expect(refusal({ ...prod, STRIPE_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.stripeWebhookSecret })).toMatch(/STRIPE_WEBHOOK_SECRET: is the sandbox secret/);
  });

  it('when ESEWA_SECRET_KEY is the public UAT key, then production refuses it', () => {
    expect(refusal({ ...prod, ESEWA_SECRET_KEY: ESEWA_UAT_SECRET })).toMatch(/ESEWA_SECRET_KEY: is the public eSewa UAT key/);
  });

  it('when PAYMENT_SANDBOX=false and eSewa has no key (it would sign with the UAT key), then production refuses it', () => {
    expect(refusal({ ...prod, PAYMENT_SANDBOX: 'false', ESEWA_SECRET_KEY: undefined })).toMatch(
      /ESEWA_SECRET_KEY: is unset: eSewa would sign with the public UAT key/,
    );
  });

  it.each(['KHALTI', 'ESEWA', 'STRIPE'])('when PAYMENT_SANDBOX is unset and %s_SECRET_KEY is missing, then production refuses it', (gateway) => {
    const message = refusal({ ...prod, [`${gateway}_SECRET_KEY`]: undefined });
    expect(message).toMatch(new RegExp(`${gateway}_SECRET_KEY: is unset while PAYMENT_SANDBOX is unset`));
  });

  it('when a gateway without a key is not enabled, or PAYMENT_SANDBOX=true is chosen explicitly, then production starts', () => {
    expect(loadConfig({ ...prod, KHALTI_SECRET_KEY: undefined, PAYMENT_METHODS_ENABLED: 'esewa,stripe' }).PAYMENT_METHODS_ENABLED).toEqual(['esewa', 'stripe']);
    expect(loadConfig({ ...prod, KHALTI_SECRET_KEY: undefined, PAYMENT_SANDBOX: 'true' }).PAYMENT_SANDBOX).toBe(true);
  });

  it('when PUBLIC_BASE_URL is missing, then production refuses to start', () => {
    expect(refusal({ ...prod, PUBLIC_BASE_URL: undefined })).toMatch(/PUBLIC_BASE_URL: must be set in production/);
  });

  it('when SPARROW_TOKEN is the sandbox token, then production refuses it', () => {
    expect(refusal({ ...prod, SPARROW_TOKEN: undefined })).toMatch(/SPARROW_TOKEN: is the SMS sandbox token/);
  });

  it('when SPARROW_BASE_URL is the SMS sandbox, then production refuses it', () => {
    expect(refusal({ ...prod, SPARROW_BASE_URL: undefined })).toMatch(/SPARROW_BASE_URL: is the SMS sandbox/);
  });

  it('when SMTP_URL is the SMTP sandbox, then production refuses it', () => {
    expect(refusal({ ...prod, SMTP_URL: undefined })).toMatch(/SMTP_URL: is the SMTP sandbox/);
  });

  it('when MQTT_AUTH_SECRET is left at the development key, then production refuses it', () => {
    expect(refusal({ ...prod, MQTT_AUTH_SECRET: DEV_MQTT_AUTH_SECRET })).toMatch(/MQTT_AUTH_SECRET: must be set in production/);
  });

  it('when FCM_SANDBOX_URL is set, then production refuses it', () => {
    expect(refusal({ ...prod, FCM_SANDBOX_URL: 'http://127.0.0.1:4020' })).toMatch(/FCM_SANDBOX_URL: points push at the FCM sandbox/);
  });

  it('when several defaults remain, then each is named in one message', () => {
    const message = refusal({ ...prod, JWT_SECRET: DEV_DEFAULTS.jwtSecrets[0], PUBLIC_BASE_URL: undefined, FCM_SANDBOX_URL: 'http://127.0.0.1:1' });
    for (const name of ['JWT_SECRET', 'PUBLIC_BASE_URL', 'FCM_SANDBOX_URL']) expect(message).toContain(`${name}:`);
  });

  it('when the API process starts in production with development defaults, then it exits 78 naming them', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...prod, PUBLIC_BASE_URL: undefined, SPARROW_TOKEN: DEV_DEFAULTS.sparrowToken, LOG_LEVEL: 'info' };
    delete env.PUBLIC_BASE_URL;
    const child = spawnTsx('src/workers/api.ts', [], env);
    expect(await child.exited).toBe(78);
    expect(child.stderr()).toMatch(/PUBLIC_BASE_URL: must be set in production/);
    expect(child.stderr()).toMatch(/SPARROW_TOKEN: is the SMS sandbox token/);
  }, 20_000);
});
