import { randomUUID } from 'node:crypto';
import { InvalidNotificationError } from '../../src/modules/payments/gateways/gateway';
import { StripeGateway } from '../../src/modules/payments/gateways/stripe/stripe.adapter';
import { startStripeSandbox, type StripeSandbox, type StripeSandboxOptions } from '../../src/modules/payments/gateways/stripe/stripe.sandbox';
import { stripeSignatureHeader } from '../../src/modules/payments/gateways/stripe/stripe.webhook-sender';
import { startMerchant, type Merchant } from './merchant';

const SK = 'sk_test_webhook_suite';
const WHSEC = 'whsec_webhook_suite';
let sandbox: StripeSandbox;
let merchant: Merchant;
let stripe: StripeGateway;

async function setup(opts: Partial<StripeSandboxOptions> = {}) {
  merchant = await startMerchant();
  sandbox = await startStripeSandbox({
    port: 0,
    secretKey: SK,
    webhookSecret: WHSEC,
    webhookUrl: `${merchant.url}/webhook`,
    maxAttempts: 3,
    retryDelaysMs: [30, 60],
    ...opts,
  });
  stripe = new StripeGateway({ apiUrl: sandbox.url, secretKey: SK, webhookSecret: WHSEC });
  merchant.gateway = stripe;
}
afterEach(async () => {
  await sandbox.stop();
  await merchant.stop();
});

async function paidIntent(amountMinor = 25_000) {
  const s = await stripe.createSession({
    intentId: `intent-w-${Date.now()}`,
    amountMinor,
    currency: 'NPR',
    description: 'Top-up',
    returnUrl: `${merchant.url}/return`,
    idempotencyKey: `k-${randomUUID()}`,
  });
  await sandbox.pay(s.gatewayRef);
  return s.gatewayRef;
}

describe("Stripe sandbox webhook delivery and the adapter's verification", () => {
  it('when the endpoint answers 500 twice, then the sandbox retries with backoff until the 2xx', async () => {
    await setup();
    merchant.failNextWebhooks(2);
    const ref = await paidIntent();
    await sandbox.idle();
    const [event] = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref });
    const attempts = sandbox.deliveries().filter((d) => d.eventId === event.id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(attempts[2].at - attempts[0].at).toBeGreaterThanOrEqual(90);
    const hits = merchant.webhooks.filter((w) => w.raw.includes(event.id));
    expect(hits).toHaveLength(3);
    expect(hits[2].verified).toMatchObject({ eventId: event.id, status: 'success' });
  });

  it('when the endpoint never answers 2xx, then the sandbox gives up after the configured attempts', async () => {
    await setup({ enabledEvents: ['payment_intent.succeeded'] });
    merchant.failNextWebhooks(100);
    const ref = await paidIntent();
    await sandbox.idle();
    const [event] = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref });
    expect(
      sandbox
        .deliveries()
        .filter((d) => d.eventId === event.id)
        .map((d) => d.ok),
    ).toEqual([false, false, false]);
  });

  it('when a body is altered, signed with another secret, or unsigned, then verifyNotification rejects it', async () => {
    await setup({ autoDeliver: false });
    const ref = await paidIntent(25_000);
    const [event] = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref });
    const body = JSON.stringify(event, null, 2);
    const now = Math.floor(Date.now() / 1000);
    const good = stripeSignatureHeader(body, WHSEC, now);
    expect((await stripe.verifyNotification({ headers: { 'stripe-signature': good }, rawBody: Buffer.from(body) })).amountMinor).toBe(25_000);
    const altered = body.replace('"amount_received": 25000', '"amount_received": 2500000');
    expect(altered).not.toBe(body);
    await expect(stripe.verifyNotification({ headers: { 'stripe-signature': good }, rawBody: Buffer.from(altered) })).rejects.toBeInstanceOf(
      InvalidNotificationError,
    );
    await expect(
      stripe.verifyNotification({ headers: { 'stripe-signature': stripeSignatureHeader(body, 'whsec_attacker', now) }, rawBody: Buffer.from(body) }),
    ).rejects.toThrow(/signature/i);
    await expect(stripe.verifyNotification({ headers: {}, rawBody: Buffer.from(body) })).rejects.toBeInstanceOf(InvalidNotificationError);
    // Re-parsed and re-serialised JSON is not the raw body either.
    await expect(
      stripe.verifyNotification({ headers: { 'stripe-signature': good }, rawBody: Buffer.from(JSON.stringify(JSON.parse(body))) }),
    ).rejects.toBeInstanceOf(InvalidNotificationError);
  });

  it('when the sandbox clock is 10 minutes behind, then its deliveries carry a stale timestamp and the endpoint rejects them', async () => {
    await setup({ autoDeliver: false });
    const ref = await paidIntent();
    const [event] = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref });
    sandbox.clock.advance(-600_000);
    const [stale] = await sandbox.deliverEvents([event.id]);
    expect(stale).toMatchObject({ status: 400, ok: false });
    expect(merchant.webhooks.at(-1)!.error).toMatch(/tolerance/i);
    sandbox.clock.advance(600_000);
    const [fresh] = await sandbox.deliverEvents([event.id]);
    expect(fresh).toMatchObject({ status: 200, ok: true });
  });

  it('when one event is delivered 20 times concurrently, then every copy verifies with the same event id', async () => {
    await setup({ autoDeliver: false });
    const ref = await paidIntent();
    const [event] = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref });
    const records = await sandbox.deliverEvents([event.id], { times: 20, concurrent: true });
    expect(records).toHaveLength(20);
    expect(records.every((r) => r.ok)).toBe(true);
    const ids = new Set(merchant.webhooks.map((w) => w.verified?.eventId));
    expect([...ids]).toEqual([event.id]);
    expect(merchant.webhooks).toHaveLength(20);
  });

  it('when events are delivered out of order, then they arrive in the order asked (succeeded before created)', async () => {
    await setup({ autoDeliver: false, enabledEvents: '*' });
    const ref = await paidIntent();
    const created = sandbox.events({ type: 'payment_intent.created', objectId: ref })[0];
    const succeeded = sandbox.events({ type: 'payment_intent.succeeded', objectId: ref })[0];
    expect(sandbox.events({ type: 'charge.succeeded', objectId: ref })).toHaveLength(1);
    await sandbox.deliverEvents([succeeded.id, created.id]);
    expect(merchant.webhooks.map((w) => [w.verified?.gatewayEvent, w.verified?.status])).toEqual([
      ['payment_intent.succeeded', 'success'],
      ['payment_intent.created', 'pending'],
    ]);
    expect(created.data.object).toMatchObject({ status: 'requires_payment_method' }); // events snapshot the object
  });

  it('when the webhook endpoint is set after start, then automatic deliveries go there and carry the request idempotency key', async () => {
    await setup({ webhookUrl: undefined });
    const ref = await paidIntent();
    await sandbox.idle();
    expect(sandbox.deliveries().every((d) => d.error === 'no webhook endpoint configured')).toBe(true);
    await sandbox.setWebhookEndpoint({ url: `${merchant.url}/webhook` });
    const refund = await stripe.refund({ gatewayRef: ref, amountMinor: 25_000, idempotencyKey: 'refund-key-1' });
    await sandbox.idle();
    const hit = merchant.webhooks.find((w) => w.verified?.kind === 'refund')!;
    expect(hit.verified).toMatchObject({ refund: { refundId: refund.refundId, status: 'succeeded' } });
    expect(JSON.parse(hit.raw).request.idempotency_key).toBe('refund-key-1');
  });

  it('when refunds start pending, then refund.updated reports the settlement later', async () => {
    await setup({ refundStatus: 'pending' });
    const ref = await paidIntent();
    const refund = await stripe.refund({ gatewayRef: ref, amountMinor: 10_000, idempotencyKey: 'partial-1' });
    expect(refund.status).toBe('pending');
    await sandbox.settleRefund(refund.refundId, 'succeeded');
    await sandbox.idle();
    const updated = merchant.webhooks.find((w) => w.verified?.gatewayEvent === 'refund.updated')!;
    expect(updated.verified).toMatchObject({
      kind: 'refund',
      status: 'refunded',
      refund: { refundId: refund.refundId, status: 'succeeded', amountMinor: 10_000 },
    });
  });
});
