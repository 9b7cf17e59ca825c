import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { gatewayTaskQueue } from '../../src/modules/payments/workflows/definitions';
import { eventually } from '../support/stack';
import { bearer, createUser, ledgerInvariants, notificationsOf, usePaymentStack } from './support';

/**
 * Top-up failure paths through the API: a gateway that reports another amount, a gateway that is
 * down or hangs while the session opens, duplicate callbacks, a first card decline, a cancel.
 * The customer waits 3 s for a session here; each gateway call gives up after 2 s.
 */
describe('top-up failure paths through the app', () => {
  const fx = usePaymentStack(
    { env: { PAYMENT_POLL_SECONDS: '600', PAYMENT_SESSION_TIMEOUT_SECONDS: '3' }, bridge: false, gatewayTimeoutMs: 2_000 },
    ({ stack }) => ({ money: createLedgerServices(stack.orm) }),
  );
  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);
  const row = async (intentId: string) => (await q(`select * from payment_intents where id = ?`, [intentId]))[0];
  const ask = async (userId: string, gateway: string, amount = '250.00') =>
    fx
      .api()
      .post('/api/payment/wallet/topup-intent')
      .set(await bearer(fx.stack, userId))
      .send({ amount, gateway });
  const closed = (intentId: string) => eventually(async () => ((await row(intentId))?.status !== 'pending' ? row(intentId) : null), 15_000);

  it('when Khalti reports a different amount than the intent, then the intent is closed failed and nothing is credited', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = (await ask(userId, 'khalti')).body.data;
    fx.boxes.khalti.state.payments.get(intent.gateway_ref)!.amount = 2_500; // the gateway's books say NPR 25
    await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
    expect(await closed(intent.intent_id)).toMatchObject({
      status: 'failed',
      journal_entry_id: null,
      failure_reason: expect.stringContaining('amount_mismatch'),
    });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect(await q(`select count(*)::int n from journal_entries where idempotency_key = ?`, [`topup:${intent.intent_id}`])).toEqual([{ n: 0 }]);
  });

  it('when Khalti answers 5xx to the initiate, then the customer gets 502 GATEWAY_ERROR and the intent is closed failed, never retried into a second pidx', async () => {
    const userId = await createUser(fx.stack.orm);
    fx.boxes.khalti.setFaults([{ match: 'POST /api/v2/epayment/initiate/', status: 503 }]);
    try {
      const res = await ask(userId, 'khalti');
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('GATEWAY_ERROR');
      const intentId = res.body.error.details.intent_id;
      expect(await row(intentId)).toMatchObject({ status: 'failed', gateway_ref: null, payment_url: null });
      expect(await fx.stack.temporal.workflow.getHandle(`payment-intent:${intentId}`).result()).toMatchObject({ state: 'failed' });
    } finally {
      fx.boxes.khalti.setFaults([]);
    }
  });

  it('when Khalti hangs past the client timeout on the initiate, then 502 and exactly one pidx exists for the intent (the lost answer is not retried)', async () => {
    const userId = await createUser(fx.stack.orm);
    fx.boxes.khalti.setFaults([{ match: 'POST /api/v2/epayment/initiate/', delayMs: 2_500, times: 5 }]);
    try {
      const res = await ask(userId, 'khalti');
      expect(res.status).toBe(502);
      const intentId = res.body.error.details.intent_id;
      expect(await row(intentId)).toMatchObject({ status: 'failed', gateway_ref: null });
      await new Promise((r) => setTimeout(r, 1_000)); // the hung request reaches Khalti after all
      expect([...fx.boxes.khalti.state.payments.values()].filter((p) => p.purchaseOrderId === intentId)).toHaveLength(1);
    } finally {
      fx.boxes.khalti.setFaults([]);
    }
  });

  it('when Stripe hangs on the session, then 502 GATEWAY_ERROR after the customer’s wait, and the intent is closed failed with no payment URL', async () => {
    const userId = await createUser(fx.stack.orm);
    fx.boxes.stripe.setFaults([{ match: 'POST /v1/payment_intents', delayMs: 5_000 }]);
    try {
      const res = await ask(userId, 'stripe');
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('GATEWAY_ERROR');
      expect(await row(res.body.error.details.intent_id)).toMatchObject({ status: 'failed', payment_url: null });
    } finally {
      fx.boxes.stripe.setFaults([]);
    }
  });

  it('when the Khalti return URL and the eSewa success redirect arrive five times each, then each wallet is credited once', async () => {
    for (const gateway of ['khalti', 'esewa'] as const) {
      const userId = await createUser(fx.stack.orm);
      const intent = (await ask(userId, gateway)).body.data;
      let redirect: string;
      if (gateway === 'khalti') redirect = (await fx.boxes.khalti.pay(intent.gateway_ref)).redirect_url!;
      else {
        await fx.boxes.esewa.submitForm(intent.gateway_data.formFields);
        redirect = (await fx.boxes.esewa.pay(intent.gateway_ref)).redirect_url!;
      }
      const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(redirect)));
      expect(answers.every((a) => a.status < 500)).toBe(true);
      await eventually(async () => (await row(intent.intent_id)).status === 'success', 15_000);
      expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
      expect(await q(`select count(*)::int n from journal_entries where idempotency_key = ?`, [`topup:${intent.intent_id}`])).toEqual([{ n: 1 }]);
      expect(await q(`select count(*)::int n from payment_webhook_events where intent_id = ?`, [intent.intent_id])).toEqual([{ n: 1 }]);
    }
  });

  it('when a Stripe card is declined first, then the intent stays payable and the next card pays it', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await ask(userId, 'stripe')).body.data;
    await fx.boxes.stripe.decline(intent.gateway_ref);
    await fx.boxes.stripe.idle();
    const verified = await fx.api().post('/api/payment/verify-topup').set(auth).send({ intent_id: intent.intent_id });
    expect(verified.body.data).toMatchObject({ status: 'pending', state: 'pending' });
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await eventually(async () => (await row(intent.intent_id)).status === 'success', 15_000);
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
  });

  it('when a Stripe intent is canceled, then its PaymentIntent is canceled at Stripe and can no longer be paid', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = (await ask(userId, 'stripe')).body.data;
    const canceled = await fx
      .api()
      .post(`/api/payment/cancel/${intent.intent_id}`)
      .set(await bearer(fx.stack, userId));
    expect(canceled.body.data).toMatchObject({ state: 'canceled' });
    expect(fx.boxes.stripe.store.intents.get(intent.gateway_ref)!.status).toBe('canceled');
    await expect(fx.boxes.stripe.pay(intent.gateway_ref)).rejects.toThrow(/status of canceled/);
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
  });

  it('when a top-up runs, then its gateway calls ran on the gateway queue and its database steps on the main one', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = (await ask(userId, 'khalti')).body.data;
    await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
    await eventually(async () => (await row(intent.intent_id)).status === 'success', 15_000);
    const handle = fx.stack.temporal.workflow.getHandle(`payment-intent:${intent.intent_id}`);
    await handle.result();
    const queues: Record<string, string> = {};
    for (const e of (await handle.fetchHistory()).events ?? []) {
      const a = e.activityTaskScheduledEventAttributes;
      if (a) queues[a.activityType!.name!] = a.taskQueue!.name!;
    }
    const main = fx.stack.config.TEMPORAL_TASK_QUEUE;
    expect(queues).toMatchObject({
      openGatewaySession: gatewayTaskQueue(main),
      lookupPayment: gatewayTaskQueue(main),
      recordGatewaySession: main,
      settleTopup: main,
    });
    expect((await notificationsOf(fx.stack, userId)).map((n) => n.data.status)).toContain('success');
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});
