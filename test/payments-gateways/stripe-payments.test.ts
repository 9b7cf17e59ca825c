import Stripe from 'stripe';
import { GatewayError } from '../../src/modules/payments/gateways/gateway';
import { StripeGateway } from '../../src/modules/payments/gateways/stripe/stripe.adapter';
import { startStripeSandbox } from '../../src/modules/payments/gateways/stripe/stripe.sandbox';
import { useFixture } from '../support/fixtures';
import { startMerchant, waitFor } from './merchant';

const SK = 'sk_test_payments_suite';
const WHSEC = 'whsec_payments_suite';
let n = 0;

const fx = useFixture(async (s) => {
  const merchant = await s.use(startMerchant(), (m) => m.stop());
  const sandbox = await s.use(
    startStripeSandbox({ port: 0, secretKey: SK, webhookSecret: WHSEC, webhookUrl: `${merchant.url}/webhook`, retryDelaysMs: [20] }),
    (x) => x.stop(),
  );
  const stripe = new StripeGateway({
    apiUrl: sandbox.url,
    secretKey: SK,
    webhookSecret: WHSEC,
    currency: 'NPR',
    paymentPageUrl: `${sandbox.url}/__sandbox/checkout`,
  });
  merchant.gateway = stripe;
  return { sandbox, merchant, stripe };
});

const session = async (amountMinor = 50_000) => {
  const intentId = `intent-s-${++n}`;
  const s = await fx.stripe.createSession({
    intentId,
    amountMinor,
    currency: 'NPR',
    description: 'Wallet top-up',
    returnUrl: `${fx.merchant.url}/return`,
    idempotencyKey: `create-${intentId}`,
  });
  return { ...s, intentId, amountMinor };
};
const webhookFor = (ref: string, type: string) =>
  waitFor(() => fx.merchant.webhooks.find((w) => w.verified?.gatewayRef === ref && w.verified.gatewayEvent === type));

describe('Stripe adapter (stripe npm package) against the Stripe sandbox', () => {
  it('when a PaymentIntent is created and paid with pm_card_visa, then lookup says success and the signed payment_intent.succeeded webhook verifies', async () => {
    const s = await session(50_000);
    expect(s.gatewayRef).toMatch(/^pi_/);
    expect(s.paymentUrl).toBe(`${fx.sandbox.url}/__sandbox/checkout/${s.gatewayRef}`);
    expect(String(s.extra?.client_secret)).toMatch(new RegExp(`^${s.gatewayRef}_secret_`));
    expect(await fx.stripe.lookup(s.gatewayRef, s)).toMatchObject({ status: 'pending', amountMinor: 50_000 });
    await fx.sandbox.pay(s.gatewayRef);
    const hook = await webhookFor(s.gatewayRef, 'payment_intent.succeeded');
    expect(hook.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hook.verified).toMatchObject({ kind: 'payment', status: 'success', intentId: s.intentId, amountMinor: 50_000 });
    expect(hook.verified!.eventId).toMatch(/^evt_/);
    const look = await fx.stripe.lookup(s.gatewayRef, s);
    expect(look).toMatchObject({ status: 'success', amountMinor: 50_000, raw: { status: 'succeeded', amount_received: 50_000, currency: 'npr' } });
    expect(look.gatewayTxnId).toMatch(/^ch_/);
  });

  it('when the card is declined, then lookup says failed and payment_intent.payment_failed is delivered', async () => {
    const s = await session();
    const r = await fx.sandbox.decline(s.gatewayRef);
    expect(r.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });
    expect((await webhookFor(s.gatewayRef, 'payment_intent.payment_failed')).verified).toMatchObject({ status: 'failed', intentId: s.intentId });
    expect(await fx.stripe.lookup(s.gatewayRef, s)).toMatchObject({
      status: 'failed',
      raw: { status: 'requires_payment_method', last_payment_error: { code: 'card_declined' } },
    });
  });

  it('when an unpaid intent is canceled through the adapter, then it reports canceled and payment_intent.canceled is delivered; a paid one stays success', async () => {
    const s = await session();
    expect(await fx.stripe.cancel(s.gatewayRef)).toBe('canceled');
    expect((await webhookFor(s.gatewayRef, 'payment_intent.canceled')).verified).toMatchObject({ status: 'canceled' });
    expect((await fx.stripe.lookup(s.gatewayRef, s)).status).toBe('canceled');
    await expect(fx.sandbox.pay(s.gatewayRef)).rejects.toThrow(/status of canceled/);
    const paid = await session();
    await fx.sandbox.pay(paid.gatewayRef);
    expect(await fx.stripe.cancel(paid.gatewayRef)).toBe('success');
  });

  it('when the same Idempotency-Key is replayed, then the same PaymentIntent comes back; with other params, then Stripe answers an idempotency error', async () => {
    const input = {
      intentId: 'intent-idem',
      amountMinor: 70_000,
      currency: 'NPR',
      description: 'Top-up',
      returnUrl: `${fx.merchant.url}/return`,
      idempotencyKey: `idem-${Date.now()}`,
    };
    const [a, b] = await Promise.all([fx.stripe.createSession(input), fx.stripe.createSession(input)]);
    const c = await fx.stripe.createSession(input);
    expect(b.gatewayRef).toBe(a.gatewayRef);
    expect(c.gatewayRef).toBe(a.gatewayRef);
    expect([...fx.sandbox.store.intents.values()].filter((pi) => pi.metadata.intent_id === 'intent-idem')).toHaveLength(1);
    const err = await fx.stripe.createSession({ ...input, amountMinor: 80_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ httpStatus: 400, retryable: false, code: 'idempotency_error' });
    const raw = await fetch(`${fx.sandbox.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SK}`, 'Idempotency-Key': input.idempotencyKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'amount=70000&currency=npr&description=Top-up&metadata[intent_id]=intent-idem&automatic_payment_methods[enabled]=true',
    });
    expect(raw.headers.get('idempotent-replayed')).toBe('true');
    expect(((await raw.json()) as { id: string }).id).toBe(a.gatewayRef);
  });

  it('when a paid intent is refunded, then the refund succeeds once per key, refund/charge events arrive and lookup reports refunded', async () => {
    const s = await session(40_000);
    await fx.sandbox.pay(s.gatewayRef);
    const refund = { gatewayRef: s.gatewayRef, amountMinor: 40_000, idempotencyKey: `refund-${s.intentId}` };
    const r1 = await fx.stripe.refund(refund);
    const r2 = await fx.stripe.refund(refund);
    expect(r1).toMatchObject({ status: 'succeeded' });
    expect(r1.refundId).toMatch(/^re_/);
    expect(r2.refundId).toBe(r1.refundId);
    expect((await webhookFor(s.gatewayRef, 'refund.created')).verified).toMatchObject({
      kind: 'refund',
      refund: { refundId: r1.refundId, status: 'succeeded', amountMinor: 40_000 },
    });
    expect((await webhookFor(s.gatewayRef, 'charge.refunded')).verified).toMatchObject({ status: 'refunded', intentId: s.intentId });
    expect((await fx.stripe.lookup(s.gatewayRef, s)).status).toBe('refunded');
    const again = await fx.stripe.refund({ ...refund, idempotencyKey: 'another-key' }).catch((e) => e);
    expect(again).toMatchObject({ httpStatus: 400, retryable: false, code: 'charge_already_refunded' });
  });

  it('when the API key is wrong or a parameter is unknown, then Stripe errors become non-retryable GatewayErrors', async () => {
    const bad = new StripeGateway({ apiUrl: fx.sandbox.url, secretKey: 'sk_test_wrong', webhookSecret: WHSEC });
    const err = await bad.lookup('pi_x', { intentId: 'x', amountMinor: 1 }).catch((e) => e);
    expect(err).toMatchObject({ httpStatus: 401, retryable: false });
    const client = new Stripe(SK, { host: '127.0.0.1', port: fx.sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(client.paymentIntents.create({ amount: 100, currency: 'npr', foo: 'bar' } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
    });
    await expect(client.paymentIntents.create({ currency: 'npr' } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    await expect(client.paymentIntents.retrieve('pi_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('when the payer uses the checkout page with a return_url, then the form post redirects the browser with redirect_status=succeeded', async () => {
    const client = new Stripe(SK, { host: '127.0.0.1', port: fx.sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
    const other = await client.paymentIntents.create({ amount: 2_000, currency: 'npr', payment_method: 'pm_card_visa' });
    expect(other.status).toBe('requires_confirmation');
    const page = await fetch(`${fx.sandbox.url}/__sandbox/checkout/${other.id}`).then((r) => r.text());
    expect(page).toContain('4242 4242 4242 4242');
    expect(page).toContain('20.00 NPR');
    const fresh = await client.paymentIntents.create({
      amount: 3_000,
      currency: 'npr',
      return_url: `${fx.merchant.url}/return`,
    } as Stripe.PaymentIntentCreateParams);
    const res = await fetch(`${fx.sandbox.url}/__sandbox/pay/${fresh.id}`, {
      method: 'POST',
      body: new URLSearchParams({ payment_method: 'pm_card_visa' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('payment_intent')).toBe(fresh.id);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await client.paymentIntents.retrieve(fresh.id)).status).toBe('succeeded');
  });
});
