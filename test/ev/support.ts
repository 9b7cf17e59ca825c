import request from 'supertest';
import { connect } from '@nats-io/transport-node';
import { DEV_NATS_ISSUER_SEED } from '../../src/config/charging';
import { startNatsServer, type NatsServerHandle } from '../../src/infra/nats-server';
import { NatsAuthService, startQpaySandbox, type QpaySandbox } from '../../src/modules/charging';
import { startHttpSmsSandbox, type HttpSmsSandbox } from '../../src/modules/identity/delivery/sandboxes';
import { useFixture, stackIn, type FixtureScope, type StackOptions } from '../support/fixtures';
import { clientIp } from '../support/messaging';
import { testRandom } from '../support/random';
import { eventually, type TestStack } from '../support/stack';

export const NATS_SECRET = 'ev-test-nats-secret-0123456789';

export interface EvStack {
  stack: TestStack;
  nats: NatsServerHandle;
  sms: HttpSmsSandbox;
  qpay: QpaySandbox;
}

export const QPAY = { username: 'TEST_MERCHANT', password: 'qpay-test-password', invoiceCode: 'TEST_INVOICE' };

/** NATS (with the auth callout answered), the Mongolian SMS and QPay sandboxes and a test stack. */
export async function evStackIn(scope: FixtureScope, opts: StackOptions = {}): Promise<EvStack> {
  const nats = await scope.use(startNatsServer({ secret: NATS_SECRET, issuerSeed: DEV_NATS_ISSUER_SEED }), (n) => n.stop());
  const sms = await scope.use(startHttpSmsSandbox(), (s) => s.stop());
  const auth = new NatsAuthService({ url: nats.url, secret: NATS_SECRET, issuerSeed: DEV_NATS_ISSUER_SEED, topicPrefix: 'ev.user' });
  await scope.use(auth.start(), () => auth.stop());
  let base = '';
  const qpay = await scope.use(startQpaySandbox({ ...QPAY, rewriteCallbackUrl: (u) => base + new URL(u).pathname + new URL(u).search }), (s) => s.stop());
  const env = {
    NATS_URL: nats.url,
    NATS_PUBLIC_SERVERS: nats.wsUrl,
    NATS_SECRET,
    MN_SMS_URL: sms.url,
    MN_SMS_TOKEN: 'sandbox-token',
    QPAY_BASE_URL: qpay.baseUrl,
    QPAY_USERNAME: QPAY.username,
    QPAY_PASSWORD: QPAY.password,
    QPAY_POLL_SECONDS: '1',
    QPAY_MAX_POLL_SECONDS: '2',
    ...opts.env,
  };
  const stack = await stackIn(scope, { bridge: false, ...opts, env });
  base = stack.baseUrl;
  return { stack, nats, sms, qpay };
}

export const useEvStack = (opts: StackOptions = {}) => useFixture((scope) => evStackIn(scope, opts), { timeoutMs: 60_000 });

/** A random Mongolian mobile, E.164. */
export const randomMnPhone = () => `+9768${testRandom().digits(7)}`;

export const evApi = (stack: TestStack) => request(stack.baseUrl);

/** The code in the n-th SMS to the phone. */
export async function readMnOtp(sms: HttpSmsSandbox, phone: string, nth = 1): Promise<string> {
  const text = await eventually(async () => sms.messages(phone)[nth - 1]?.text, 15_000);
  const code = /\b(\d{4,8})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in "${text}"`);
  return code;
}

export interface EvDriver {
  phone: string;
  token: string;
  userId: string;
  body: any;
}

/** Signs a new phone in over HTTP, as the app does. */
export async function signIn(ev: EvStack, phone = randomMnPhone()): Promise<EvDriver> {
  const ip = clientIp();
  const req = await evApi(ev.stack).post('/ev/api/user/otp-request').set('X-Forwarded-For', ip).send({ phone });
  if (req.status !== 200) throw new Error(`otp-request ${req.status} ${JSON.stringify(req.body)}`);
  const code = await readMnOtp(ev.sms, phone);
  const res = await evApi(ev.stack).post('/ev/api/user/otp-check').set('X-Forwarded-For', ip).send({ phone, code });
  if (res.status !== 200) throw new Error(`otp-check ${res.status} ${JSON.stringify(res.body)}`);
  const [row] = await ev.stack.orm.em.getConnection().execute(`select id from users where phone = ?`, [phone]);
  return { phone, token: res.body.token, userId: row.id, body: res.body };
}

/** Connects to NATS with what otp-check returned (over the backend listener; the WebSocket one is the app's). */
export const natsAs = (ev: EvStack, d: EvDriver) => connect({ servers: ev.nats.url, user: d.body.nats.user, pass: d.body.nats.pass });
