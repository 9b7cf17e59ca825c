import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { initOrm } from '../../src/db/orm';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { createGatewayActivities } from '../../src/modules/payments/activities/gateway.activities';
import { createPaymentActivities } from '../../src/modules/payments/activities/payment.activities';
import { createSocialActivities } from '../../src/modules/social';
import { createRefundActivities } from '../../src/modules/payments/activities/refund.activities';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes } from '../../src/modules/payments/gateways/registry';
import {
  gatewayTaskQueue,
  type PaymentIntentInput,
  type PaymentIntentWorkflow,
  type PaymentLateCheckWorkflow,
  type RefundWorkflow,
} from '../../src/modules/payments/workflows/definitions';
import { timeSkippingIn, useFixture } from '../support/fixtures';
import { serverTimeSpent } from '../support/history';
import { eventually } from '../support/stack';
import { createUser, fundWallet, ledgerInvariants, notificationsOf } from './support';

const MINUTE = 60_000;

/**
 * The TTL of Stripe and eSewa intents, eSewa's NOT_FOUND before the form is posted, a gateway down
 * for longer than the TTL, a Khalti payment held Pending past the TTL and completed later (the
 * late check credits it), and a refund nobody decides in 30 days: all in skipped time.
 */
describe('payment intents and refunds in skipped time', () => {
  const taskQueue = `ts-ttl-${randomUUID()}`;
  const fx = useFixture(
    async (s) => {
      const env = await timeSkippingIn(s);
      const orm = await s.use(initOrm(process.env.DATABASE_URL!, { pool: { min: 0, max: 3 } }), (o) => o.close());
      const boxes = await s.use(startPaymentSandboxes({ ports: 0 }), (b) => b.stop());
      return { env, orm, boxes, money: createLedgerServices(orm), gateways: createGateways(defaultPaymentConfig({ ...process.env, ...boxes.env })) };
    },
    { timeoutMs: 60_000 },
  );
  const q = (sql: string, params: unknown[] = []) => fx.orm.em.getConnection().execute(sql, params);
  const row = async (id: string) => (await q(`select * from payment_intents where id = ?`, [id]))[0];

  /** The main worker (late checks due at once after the TTL) and the gateway queue's, for the length of `fn`. */
  async function withWorkers<T>(fn: () => Promise<T>): Promise<T> {
    const deps = { orm: fx.orm, gateways: fx.gateways, brand: 'ChargeGhar' };
    const main = await Worker.create({
      connection: fx.env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities: {
        ...createPaymentActivities({ ...deps, lateCheck: { firstMs: 0, maxMs: MINUTE, giveUpMs: 7 * 24 * 60 * MINUTE } }),
        ...createRefundActivities(deps),
        // The social step a settlement runs (src/workers/activities.ts registers it too).
        ...createSocialActivities({ orm: deps.orm, timelyReturnBonusPoints: 0 }),
      },
    });
    const gateway = await Worker.create({
      connection: fx.env.nativeConnection,
      taskQueue: gatewayTaskQueue(taskQueue),
      activities: createGatewayActivities(deps),
    });
    return gateway.runUntil(main.runUntil(fn()));
  }

  async function newIntent(gateway: 'khalti' | 'esewa' | 'stripe', amountMinor = 25_000): Promise<PaymentIntentInput> {
    const userId = await createUser(fx.orm);
    const intentId = randomUUID();
    await q(`insert into payment_intents (id, user_id, gateway, amount_minor, expires_at) values (?, ?, ?, ?, now() + interval '30 minutes')`, [
      intentId,
      userId,
      gateway,
      amountMinor,
    ]);
    const returnUrl = `http://127.0.0.1:9/api/payment/webhook/${gateway}`;
    return { intentId, userId, gateway, amountMinor, currency: 'NPR', returnUrl, ttlMs: 30 * MINUTE, pollMs: 30_000 };
  }
  const start = (input: PaymentIntentInput) =>
    fx.env.client.workflow.start<PaymentIntentWorkflow>('paymentIntentWorkflow', { workflowId: `payment-intent:${input.intentId}`, taskQueue, args: [input] });
  const lateCheck = (intentId: string) =>
    fx.env.client.workflow.execute<PaymentLateCheckWorkflow>('paymentLateCheckWorkflow', {
      workflowId: `late-check-test:${randomUUID()}`,
      taskQueue,
      args: [{ only: [intentId] }],
    });
  const gatewayRef = (id: string) => eventually(async () => (await row(id))?.gateway_ref as string | null);

  it('when nobody pays a Stripe intent for 30 minutes, then it expires, its PaymentIntent is canceled at Stripe and nothing is left to check', async () => {
    const input = await newIntent('stripe');
    const result = await withWorkers(async () => (await start(input)).result());
    expect(result).toMatchObject({ state: 'expired', reason: 'not paid within 30 minutes' });
    expect(await serverTimeSpent(fx.env.client.workflow.getHandle(`payment-intent:${input.intentId}`))).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(fx.boxes.stripe.store.intents.get((await row(input.intentId)).gateway_ref)!.status).toBe('canceled');
    expect(await row(input.intentId)).toMatchObject({ status: 'expired', late_check_at: null, journal_entry_id: null });
  });

  it('when an eSewa form is not posted for 20 minutes (NOT_FOUND), then the intent stays pending and is credited once the payer pays at minute 25', async () => {
    const input = await newIntent('esewa');
    const result = await withWorkers(async () => {
      const handle = await start(input);
      await gatewayRef(input.intentId);
      await fx.env.sleep(20 * MINUTE);
      expect((await row(input.intentId)).status).toBe('pending');
      await fx.env.sleep(5 * MINUTE);
      const r = await row(input.intentId);
      expect((await fx.boxes.esewa.submitForm(r.session_extra.formFields)).status).toBeLessThan(400);
      await fx.boxes.esewa.pay(r.gateway_ref);
      return handle.result();
    });
    expect(result).toMatchObject({ state: 'success' });
    expect(await fx.money.ledger.balances(input.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
  });

  it('when nobody pays an eSewa intent for 30 minutes, then it expires and is left to the late checks (eSewa cannot end it)', async () => {
    const input = await newIntent('esewa');
    expect(await withWorkers(async () => (await start(input)).result())).toMatchObject({ state: 'expired' });
    expect(await serverTimeSpent(fx.env.client.workflow.getHandle(`payment-intent:${input.intentId}`))).toBeGreaterThanOrEqual(30 * MINUTE);
    expect((await row(input.intentId)).late_check_at).not.toBeNull();
  });

  it('when the eSewa status API is down for the whole 30 minutes while the payer paid, then the run does not fail, and the late check credits the payment', async () => {
    const input = await newIntent('esewa');
    const result = await withWorkers(async () => {
      const handle = await start(input);
      await gatewayRef(input.intentId);
      fx.boxes.esewa.setOutage(true);
      await fx.boxes.esewa.submitForm((await row(input.intentId)).session_extra.formFields);
      await fx.boxes.esewa.pay((await row(input.intentId)).gateway_ref); // the success redirect never reaches us
      const closed = await handle.result();
      fx.boxes.esewa.setOutage(false);
      return { closed, late: await lateCheck(input.intentId) };
    });
    expect(result.closed).toMatchObject({ state: 'expired' });
    expect(result.late).toEqual({ looked: 1, credited: 1 });
    expect(await row(input.intentId)).toMatchObject({ status: 'success', late_outcome: 'credited', late_check_at: null });
    expect(await fx.money.ledger.balances(input.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
  });

  it('when Khalti holds a payment Pending past the TTL and completes it later, then the app is told it expired and the late check still credits it once and tells the customer', async () => {
    const input = await newIntent('khalti');
    const outcome = await withWorkers(async () => {
      const handle = await start(input);
      const pidx = await gatewayRef(input.intentId);
      await fx.env.sleep(5 * MINUTE);
      expect((await fx.boxes.khalti.pay(pidx, { outcome: 'Pending' })).status).toBe('Pending');
      const closed = await handle.result();
      const completed = await fx.boxes.khalti.pay(pidx); // Khalti releases the held payment: no browser is sent anywhere
      expect(completed.redirect_url).toBeNull();
      return { closed, late: [await lateCheck(input.intentId), await lateCheck(input.intentId)] };
    });
    expect(outcome.closed).toMatchObject({ state: 'expired' });
    expect(outcome.late).toEqual([
      { looked: 1, credited: 1 },
      { looked: 0, credited: 0 },
    ]);
    expect(await row(input.intentId)).toMatchObject({ status: 'success', gateway_status: 'Completed', late_outcome: 'credited' });
    expect(await fx.money.ledger.balances(input.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    const notes = (await notificationsOf(fx.orm, input.userId)).map((n) => n.data);
    expect(notes).toEqual([expect.objectContaining({ status: 'expired' }), expect.objectContaining({ status: 'success', late: true })]);
    expect(await ledgerInvariants(fx.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when no admin decides a refund in 30 days, then it is rejected by the system and nothing moves', async () => {
    const userId = await createUser(fx.orm);
    await fundWallet(fx.money.ledger, userId, 10_000);
    const charge = await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 4_000, mode: 'wallet_only' });
    const refundId = randomUUID();
    await q(`insert into refund_requests (id, user_id, transaction_id, amount_minor, currency) values (?, ?, ?, 4000, 'NPR')`, [refundId, userId, charge.id]);
    const input = { refundId, userId, transactionId: charge.id, amountMinor: 4_000, currency: 'NPR', gateway: null, decisionTimeoutMs: 30 * 24 * 60 * MINUTE };
    const result = await withWorkers(() =>
      fx.env.client.workflow.execute<RefundWorkflow>('refundWorkflow', { workflowId: `refund:${refundId}`, taskQueue, args: [input] }),
    );
    expect(result).toEqual({ state: 'rejected', reason: 'no decision in time' });
    expect(await serverTimeSpent(fx.env.client.workflow.getHandle(`refund:${refundId}`))).toBeGreaterThanOrEqual(30 * 24 * 60 * MINUTE);
    expect((await q(`select status, decided_by from refund_requests where id = ?`, [refundId]))[0]).toEqual({ status: 'rejected', decided_by: 'system' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 6_000, points: 0 });
    expect(await q(`select count(*)::int n from journal_entries where reverses_entry_id = ?`, [charge.id])).toEqual([{ n: 0 }]);
  });
});
