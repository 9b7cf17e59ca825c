import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { createSocialActivities } from '../../src/modules/social';
import { eventually } from '../support/stack';
import { SA_BUSINESS_STATUS } from '../../src/kernel/temporal/search-attributes';
import { bearer, createUser, ledgerInvariants, notificationsOf, usePaymentStack } from './support';

/**
 * Top-ups end to end over HTTP: our API → gateway sandbox → payer → callback/webhook → workflow →
 * ledger. Polling is slowed to 10 minutes here so only callbacks and verify-topup settle payments.
 */
describe('wallet top-up through each gateway sandbox', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);

  async function topup(userId: string, gateway: string, amount = '250.00') {
    const res = await fx
      .api()
      .post('/api/payment/wallet/topup-intent')
      .set(await bearer(fx.stack, userId))
      .send({ amount, gateway });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'pending', gateway, amount, payment_url: expect.any(String), gateway_ref: expect.any(String) });
    return res.body.data as { intent_id: string; gateway_ref: string; payment_url: string; gateway_data: Record<string, unknown> | null };
  }
  async function settled(userId: string, intentId: string) {
    const auth = await bearer(fx.stack, userId);
    return eventually(async () => {
      const r = await fx.api().get(`/api/payment/status/${intentId}`).set(auth);
      return r.body.data.status === 'success' ? r.body.data : null;
    }, 15_000);
  }
  async function expectCreditedOnce(userId: string, intentId: string, amountMinor = 25_000, points = 20) {
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: amountMinor, points });
    expect(await q(`select count(*)::int n from journal_entries where idempotency_key = ?`, [`topup:${intentId}`])).toEqual([{ n: 1 }]);
    await eventually(async () => (await notificationsOf(fx.stack, userId)).some((n) => n.type === 'payment_status' && n.data?.status === 'success'));
  }

  it('when a Khalti payer pays and the browser returns to our return URL, then the wallet is credited and 20 points awarded', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = await topup(userId, 'khalti');
    const paid = await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
    expect(paid.callback).toBeDefined();
    expect(await settled(userId, intent.intent_id)).toMatchObject({ status: 'success', transaction_id: expect.any(String) });
    await expectCreditedOnce(userId, intent.intent_id);
    // The user's usage stats count the top-up and the points it earned.
    const stats = await fx
      .api()
      .get('/api/users/analytics/usage-stats')
      .set(await bearer(fx.stack, userId));
    expect(stats.body.data).toMatchObject({ topups: { count: 1, total_minor: 25_000 }, points: { balance: 20, earned: 20 } });
  });

  it('when an eSewa payer submits the signed form and pays, then the signed success redirect credits the wallet', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = await topup(userId, 'esewa');
    const fields = intent.gateway_data!.formFields as Record<string, string>;
    expect((await fx.boxes.esewa.submitForm(fields)).status).toBeLessThan(400);
    await fx.boxes.esewa.pay(intent.gateway_ref, { follow: true });
    await settled(userId, intent.intent_id);
    await expectCreditedOnce(userId, intent.intent_id);
  });

  it('when a Stripe payment succeeds, then the signed webhook credits the wallet', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = await topup(userId, 'stripe');
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await settled(userId, intent.intent_id);
    await expectCreditedOnce(userId, intent.intent_id);
  });

  it('when the payer pays but no callback arrives, then verify-topup asks the gateway and credits at once', async () => {
    for (const gateway of ['khalti', 'stripe'] as const) {
      const userId = await createUser(fx.stack.orm);
      if (gateway === 'stripe') await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: false });
      const intent = await topup(userId, gateway);
      if (gateway === 'khalti') await fx.boxes.khalti.pay(intent.gateway_ref);
      else await fx.boxes.stripe.pay(intent.gateway_ref);
      const verified = await fx
        .api()
        .post('/api/payment/verify-topup')
        .set(await bearer(fx.stack, userId))
        .send({ intent_id: intent.intent_id });
      expect(verified.body.data).toMatchObject({ status: 'success' });
      await expectCreditedOnce(userId, intent.intent_id);
      await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: true });
    }
  });

  it('when a pending intent is canceled, then it ends canceled; a paid one cannot be canceled', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = await topup(userId, 'khalti');
    const canceled = await fx.api().post(`/api/payment/cancel/${intent.intent_id}`).set(auth);
    expect(canceled.body.data).toMatchObject({ status: 'failed', state: 'canceled' });
    expect((await fx.api().post(`/api/payment/cancel/${intent.intent_id}`).set(auth)).body.error.code).toBe('PAYMENT_NOT_PENDING');

    const paid = await topup(userId, 'stripe');
    await fx.boxes.stripe.pay(paid.gateway_ref);
    await settled(userId, paid.intent_id);
    const refused = await fx.api().post(`/api/payment/cancel/${paid.intent_id}`).set(auth);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('PAYMENT_ALREADY_COMPLETED');
    expect((await fx.api().post(`/api/payment/cancel/${randomUUID()}`).set(auth)).status).toBe(404);

    // What an operator filtering the Temporal UI sees: each run under its business state.
    const byStatus = async () => {
      const out: Record<string, string> = {};
      for await (const wf of fx.stack.temporal.workflow.list({
        query: `WorkflowType = 'paymentIntentWorkflow' AND Surface = 'chargeghar' AND UserId = '${userId}'`,
      })) {
        out[wf.workflowId] = String(wf.typedSearchAttributes.get(SA_BUSINESS_STATUS));
      }
      return out;
    };
    const expected = { [`payment-intent:${intent.intent_id}`]: 'canceled', [`payment-intent:${paid.intent_id}`]: 'success' };
    const seen = await eventually(async () => {
      const now = await byStatus();
      return Object.entries(expected).every(([id, status]) => now[id] === status) ? now : undefined;
    });
    expect(seen).toEqual(expected);
  });

  it('when the payer pays a link after its intent was canceled, then the late verified payment is still credited once', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = await topup(userId, 'khalti');
    await fx
      .api()
      .post(`/api/payment/cancel/${intent.intent_id}`)
      .set(await bearer(fx.stack, userId));
    await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
    await settled(userId, intent.intent_id);
    await expectCreditedOnce(userId, intent.intent_id);
  });

  it('when Stripe delivers the same event 20 times at once, then the wallet is credited once', async () => {
    const userId = await createUser(fx.stack.orm);
    await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: false });
    try {
      const intent = await topup(userId, 'stripe');
      await fx.boxes.stripe.pay(intent.gateway_ref);
      const [event] = fx.boxes.stripe.events({ type: 'payment_intent.succeeded', objectId: intent.gateway_ref });
      const deliveries = await fx.boxes.stripe.deliverEvents([event.id], { times: 20, concurrent: true });
      expect(deliveries).toHaveLength(20);
      expect(deliveries.every((d) => (d as { status?: number }).status === 200)).toBe(true);
      await settled(userId, intent.intent_id);
      await expectCreditedOnce(userId, intent.intent_id);
      expect(await q(`select count(*)::int n from payment_webhook_events where gateway = 'stripe' and event_id = ?`, [event.id])).toEqual([{ n: 1 }]);
    } finally {
      await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: true });
    }
  });

  it('when Stripe delivers a success before an older failed attempt, then the intent stays paid and is credited once', async () => {
    const userId = await createUser(fx.stack.orm);
    await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: false });
    try {
      const intent = await topup(userId, 'stripe');
      await fx.boxes.stripe.decline(intent.gateway_ref); // first card declined …
      await fx.boxes.stripe.pay(intent.gateway_ref); // … the second one pays
      const [failed] = fx.boxes.stripe.events({ type: 'payment_intent.payment_failed', objectId: intent.gateway_ref });
      const [succeeded] = fx.boxes.stripe.events({ type: 'payment_intent.succeeded', objectId: intent.gateway_ref });
      // Newest first, then the stale failure, then both again.
      const deliveries = await fx.boxes.stripe.deliverEvents([succeeded.id, failed.id, succeeded.id, failed.id]);
      expect(deliveries.every((d) => (d as { status?: number }).status === 200)).toBe(true);
      await settled(userId, intent.intent_id);
      await expectCreditedOnce(userId, intent.intent_id);
      expect(
        (
          await fx
            .api()
            .get(`/api/payment/status/${intent.intent_id}`)
            .set(await bearer(fx.stack, userId))
        ).body.data.status,
      ).toBe('success');
    } finally {
      await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: true });
    }
  });

  it('when a webhook or callback carries a forged signature, then it is refused with 401 and nothing changes', async () => {
    const userId = await createUser(fx.stack.orm);
    const intent = await topup(userId, 'stripe');
    const body = JSON.stringify({
      id: `evt_forged_${randomUUID().slice(0, 8)}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: intent.gateway_ref, object: 'payment_intent', status: 'succeeded', amount: 25_000, metadata: { intent_id: intent.intent_id } } },
    });
    const t = Math.floor(Date.now() / 1000);
    const forged = await fx
      .api()
      .post('/api/payment/webhook/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', `t=${t},v1=${'ab'.repeat(32)}`)
      .send(body);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('INVALID_SIGNATURE');

    const esewa = await topup(userId, 'esewa');
    const data = Buffer.from(
      JSON.stringify({
        transaction_code: 'FAKE1',
        status: 'COMPLETE',
        total_amount: '250.0',
        transaction_uuid: esewa.gateway_ref,
        product_code: 'EPAYTEST',
        signed_field_names: 'transaction_code,status,total_amount,transaction_uuid,product_code,signed_field_names',
        signature: 'bm90IGEgc2lnbmF0dXJl',
      }),
    ).toString('base64');
    expect((await fx.api().get(`/api/payment/webhook/esewa?data=${encodeURIComponent(data)}`)).status).toBe(401);

    expect(await q(`select count(*)::int n from payment_webhook_events where intent_id in (?, ?)`, [intent.intent_id, esewa.intent_id])).toEqual([{ n: 0 }]);
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect(
      (
        await fx
          .api()
          .get(`/api/payment/status/${intent.intent_id}`)
          .set(await bearer(fx.stack, userId))
      ).body.data.status,
    ).toBe('pending');
  });

  it('when a top-up is outside the method limits or for an unknown intent, then 400 and 404', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const small = await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '5.00', gateway: 'khalti' });
    expect(small.status).toBe(400);
    expect((await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '50.00', gateway: 'paypal' })).status).toBe(400);
    expect((await fx.api().get(`/api/payment/status/${randomUUID()}`).set(auth)).status).toBe(404);
    expect((await fx.api().post('/api/payment/verify-topup').set(auth).send({ intent_id: randomUUID() })).status).toBe(404);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when a Khalti top-up lands through the payment-intent workflow as a rider’s 50th, then the top-up achievement unlocks once and its reward is posted once', async () => {
    // Threshold 50 so that no other test's rider reaches it; this rider's 49 earlier top-ups are counted by the same activity.
    const admin = await bearer(fx.stack, randomUUID(), 'admin');
    const code = `topups-50-${randomUUID().slice(0, 8)}`;
    const body = { code, name: 'Fifty top-ups', criteria: { type: 'topups', threshold: 50 }, reward_points: 30 };
    const made = (await fx.api().post('/api/admin/achievements').set(admin).send(body)).body.data as { id: string };
    try {
      const userId = await createUser(fx.stack.orm);
      const social = createSocialActivities({ orm: fx.stack.orm, timelyReturnBonusPoints: 5 });
      for (let i = 0; i < 49; i++) expect((await social.recordTopupLanded({ userId, intentId: randomUUID(), pointsAwarded: 0 })).unlocked).toEqual([]);
      const intent = await topup(userId, 'khalti');
      await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
      await settled(userId, intent.intent_id);
      // The workflow's settle step recorded the top-up: 20 points for it, 30 for the achievement.
      await eventually(async () => (await fx.money.ledger.balances(userId, 'NPR')).points === 50);
      expect(await q(`select count(*)::int n from user_achievements where user_id = ? and achievement_id = ?`, [userId, made.id])).toEqual([{ n: 1 }]);
      const reward = await q(`select count(*)::int n from journal_entries where idempotency_key = ?`, [`points:achievement:${made.id}:${userId}`]);
      expect(reward).toEqual([{ n: 1 }]);
      // The same landing again (a retried activity): nothing more.
      expect(await social.recordTopupLanded({ userId, intentId: intent.intent_id, pointsAwarded: 20 })).toEqual({ unlocked: [] });
      expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 50 });
      const mine = (
        await fx
          .api()
          .get('/api/users/achievements')
          .set(await bearer(fx.stack, userId))
      ).body.data;
      expect(mine.unlocked).toEqual([expect.objectContaining({ code, points_awarded: 30 })]);
    } finally {
      await fx.api().put(`/api/admin/achievements/${made.id}`).set(admin).send({ active: false });
    }
  });
});

describe('refund of a Stripe top-up', () => {
  const fx = usePaymentStack({ bridge: false });

  it('when an admin approves the refund of an unspent Stripe top-up, then Stripe refunds it and wallet and top-up points are reversed', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '300.00', gateway: 'stripe' })).body.data;
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 30_000);
    const money = createLedgerServices(fx.stack.orm);
    expect(await money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 30_000, points: 30 });

    const asked = await fx.api().post(`/api/payment/refund/${intent.intent_id}`).set(auth).send({ reason: 'topped up by mistake' });
    expect(asked.body.data).toMatchObject({ status: 'pending', gateway: 'stripe', amount: '300.00' });
    const approved = await fx
      .api()
      .post(`/api/admin/refunds/${asked.body.data.id}/approve`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'));
    expect(approved.body.data).toMatchObject({ status: 'completed', gateway_refund_id: expect.stringMatching(/^re_/) });
    expect(await money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect(fx.boxes.stripe.events({ type: 'charge.refunded' }).length + fx.boxes.stripe.events({ type: 'refund.created' }).length).toBeGreaterThan(0);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});
