import { GatewayError, InvalidNotificationError } from '../../src/modules/payments/gateways/gateway';
import { KhaltiGateway } from '../../src/modules/payments/gateways/khalti/khalti.adapter';
import { startKhaltiSandbox } from '../../src/modules/payments/gateways/khalti/khalti.sandbox';
import { useFixture } from '../support/fixtures';
import { startMerchant } from './merchant';

const KEY = 'test_khalti_live_secret_key';
let n = 0;

const fx = useFixture(async (s) => {
  const sandbox = await s.use(startKhaltiSandbox({ port: 0, secretKey: KEY, expiresInSeconds: 1800 }), (x) => x.stop());
  const merchant = await s.use(startMerchant(), (m) => m.stop());
  const khalti = new KhaltiGateway({ baseUrl: sandbox.url, secretKey: KEY });
  merchant.gateway = khalti;
  return { sandbox, merchant, khalti };
});

const session = (amountMinor = 150_000) => {
  const intentId = `intent-k-${++n}`;
  return fx.khalti
    .createSession({ intentId, amountMinor, currency: 'NPR', description: 'Wallet top-up', returnUrl: `${fx.merchant.url}/return`, idempotencyKey: intentId })
    .then((s) => ({ ...s, intentId, amountMinor }));
};
const post = (path: string, body: unknown, auth?: string) =>
  fetch(`${fx.sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

describe('Khalti KPG-2 adapter against the Khalti sandbox', () => {
  it('when a session is created, then initiate answers pidx, payment_url and a +05:45 expiry, and lookup says pending (Initiated)', async () => {
    const s = await session();
    expect(s.gatewayRef).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(s.paymentUrl).toBe(`${fx.sandbox.url}/?pidx=${s.gatewayRef}`);
    expect(s.expiresAt).toMatch(/\+05:45$/);
    expect(s.extra).toEqual({ expires_in: 1800 });
    const look = await fx.khalti.lookup(s.gatewayRef, s);
    expect(look).toMatchObject({ status: 'pending', amountMinor: 150_000, gatewayTxnId: null, raw: { status: 'Initiated', refunded: false } });
  });

  it('when the payer pays and the sandbox plays the browser, then return_url gets the Khalti query and verifyNotification confirms success via lookup', async () => {
    const s = await session(12_345);
    const paid = await fx.sandbox.pay(s.gatewayRef, { follow: true });
    expect(paid.callback?.status).toBe(200);
    const q = fx.merchant.returns.find((r) => r.pidx === s.gatewayRef)!;
    expect(q).toMatchObject({
      status: 'Completed',
      amount: '12345',
      total_amount: '12345',
      purchase_order_id: s.intentId,
      purchase_order_name: 'Wallet top-up',
      mobile: '98XXXXX000',
    });
    expect(q.transaction_id).toBeTruthy();
    expect(q.tidx).toBe(q.transaction_id);
    expect(q.txnId).toBe(q.transaction_id);
    const v = await fx.khalti.verifyNotification({ headers: {}, query: q });
    expect(v).toMatchObject({
      eventId: `khalti:${s.gatewayRef}:Completed`,
      gatewayRef: s.gatewayRef,
      status: 'success',
      amountMinor: 12_345,
      gatewayTxnId: q.transaction_id,
      kind: 'payment',
    });
    expect(v.intentId).toBeUndefined(); // unsigned: the intent must be found by pidx
    expect(await fx.khalti.lookup(s.gatewayRef, s)).toMatchObject({ status: 'success', amountMinor: 12_345, gatewayTxnId: q.transaction_id });
  });

  it('when the payer uses the HTML payment page, then its Pay button posts back and gets a 302 to return_url', async () => {
    const s = await session();
    const page = await fetch(s.paymentUrl!).then((r) => r.text());
    expect(page).toContain(`action="/__sandbox/pay/${s.gatewayRef}"`);
    expect(page).toContain('1500.00');
    const res = await fetch(`${fx.sandbox.url}/__sandbox/pay/${s.gatewayRef}`, { method: 'POST', body: new URLSearchParams({}), redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${fx.merchant.url}/return`);
    expect(location.searchParams.get('status')).toBe('Completed');
    expect(location.searchParams.get('pidx')).toBe(s.gatewayRef);
  });

  it('when the payer cancels, then the callback says User canceled with empty ids and lookup (HTTP 400 at Khalti) reports canceled', async () => {
    const s = await session();
    const r = await fx.sandbox.cancel(s.gatewayRef, { follow: true });
    expect(r.status).toBe('User canceled');
    const q = fx.merchant.returns.find((x) => x.pidx === s.gatewayRef)!;
    expect(q).toMatchObject({ status: 'User canceled', transaction_id: '', tidx: '', mobile: '' });
    const raw = await post('/api/v2/epayment/lookup/', { pidx: s.gatewayRef }, `Key ${KEY}`);
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ status: 'User canceled', transaction_id: null });
    expect((await fx.khalti.lookup(s.gatewayRef, s)).status).toBe('canceled');
    expect((await fx.khalti.verifyNotification({ headers: {}, query: q })).status).toBe('canceled');
  });

  it('when a link is abandoned past expires_at, then lookup reports expired; the expire control does the same at once', async () => {
    const a = await session();
    const b = await session();
    await fx.sandbox.expire(b.gatewayRef);
    expect((await fx.khalti.lookup(b.gatewayRef, b)).status).toBe('expired');
    expect((await fx.khalti.lookup(a.gatewayRef, a)).status).toBe('pending');
    fx.sandbox.clock.advance(1801_000);
    try {
      expect(await fx.khalti.lookup(a.gatewayRef, a)).toMatchObject({ status: 'expired', raw: { status: 'Expired', transaction_id: null } });
      await expect(fx.sandbox.pay(a.gatewayRef)).rejects.toThrow(/Expired/);
    } finally {
      fx.sandbox.clock.advance(-1801_000);
    }
  });

  it('when a callback claims Completed for an unpaid pidx, then verifyNotification reports what lookup says (pending)', async () => {
    const s = await session();
    const forged = { pidx: s.gatewayRef, status: 'Completed', transaction_id: 'FAKE', total_amount: '150000', amount: '150000', purchase_order_id: s.intentId };
    const v = await fx.khalti.verifyNotification({ headers: {}, query: forged });
    expect(v).toMatchObject({ status: 'pending', gatewayTxnId: null });
  });

  it('when a callback names a pidx Khalti does not know or none at all, then verifyNotification rejects it', async () => {
    await expect(fx.khalti.verifyNotification({ headers: {}, query: { pidx: 'NoSuchPidx00000000000000', status: 'Completed' } })).rejects.toBeInstanceOf(
      InvalidNotificationError,
    );
    await expect(fx.khalti.verifyNotification({ headers: {}, query: { status: 'Completed' } })).rejects.toBeInstanceOf(InvalidNotificationError);
  });

  it('when the secret key is wrong or lacks the Key prefix, then Khalti answers 401 and the adapter throws a non-retryable GatewayError', async () => {
    const wrong = await post('/api/v2/epayment/initiate/', {}, 'Key nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: 'Invalid token.', status_code: 401 });
    const bare = await post('/api/v2/epayment/initiate/', {}, KEY);
    expect(await bare.json()).toEqual({ detail: 'Authentication credentials were not provided.', status_code: 401 });
    const bad = new KhaltiGateway({ baseUrl: fx.sandbox.url, secretKey: 'nope' });
    const err = await bad
      .createSession({ intentId: 'x', amountMinor: 5000, currency: 'NPR', description: 'd', returnUrl: `${fx.merchant.url}/return`, idempotencyKey: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ httpStatus: 401, retryable: false, code: 'unauthorized' });
  });

  it('when the amount is below Rs. 10 or fields are missing, then initiate answers 400 with per-field errors and error_key validation_error', async () => {
    const res = await post('/api/v2/epayment/initiate/', { amount: '999', website_url: 'not a url' }, `Key ${KEY}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { amount: string[] };
    expect(body).toMatchObject({
      error_key: 'validation_error',
      return_url: ['This field is required.'],
      website_url: ['Enter a valid URL.'],
      purchase_order_id: ['This field is required.'],
    });
    expect(body.amount[0]).toMatch(/1000 paisa/);
    const err = await session(999).catch((e) => e);
    expect(err).toMatchObject({ httpStatus: 400, retryable: false, code: 'validation_error' });
  });

  it('when a paid payment is refunded through the adapter, then lookup reports refunded and a retried full refund is still a success', async () => {
    const s = await session(20_000);
    await fx.sandbox.pay(s.gatewayRef);
    const paid = await fx.khalti.lookup(s.gatewayRef, s);
    const r = await fx.khalti.refund({ gatewayRef: s.gatewayRef, gatewayTxnId: paid.gatewayTxnId, amountMinor: 20_000, idempotencyKey: 'refund-1' });
    expect(r.status).toBe('succeeded');
    expect(await fx.khalti.lookup(s.gatewayRef, s)).toMatchObject({ status: 'refunded', raw: { status: 'Refunded', refunded: true } });
    expect((await fx.khalti.refund({ gatewayRef: s.gatewayRef, amountMinor: 20_000, idempotencyKey: 'refund-1' })).status).toBe('succeeded');
  });

  it('when Khalti reports a different amount than the intent expects, then lookup refuses to call it a success', async () => {
    const s = await session(30_000);
    await fx.sandbox.pay(s.gatewayRef);
    expect(await fx.khalti.lookup(s.gatewayRef, { intentId: s.intentId, amountMinor: 300_000 })).toMatchObject({
      status: 'failed',
      reason: 'amount_mismatch',
      amountMinor: 30_000,
    });
  });
});
