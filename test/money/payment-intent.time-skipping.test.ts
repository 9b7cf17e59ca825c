import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { createPaymentActivities } from '../../src/modules/payments/activities/payment.activities';
import { createSocialActivities } from '../../src/modules/social';
import { createGatewayActivities } from '../../src/modules/payments/activities/gateway.activities';
import { gatewayTaskQueue } from '../../src/modules/payments/workflows/definitions';
import { initOrm } from '../../src/db/orm';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes } from '../../src/modules/payments/gateways/registry';
import { LedgerService } from '../../src/modules/ledger/services/ledger.service';
import type { PaymentIntentInput, PaymentIntentWorkflow } from '../../src/modules/payments';
import { timeSkippingIn, useFixture } from '../support/fixtures';
import { serverTimeSpent } from '../support/history';
import { eventually } from '../support/stack';
import { createUser, notificationsOf } from './support';

/** The 30-minute expiry and the 30-second polling of a payment intent, in skipped time, against the Khalti sandbox. */
describe('payment intent workflow in skipped time', () => {
  const taskQueue = `ts-money-${randomUUID()}`;
  const fx = useFixture(
    async (s) => {
      const env = await timeSkippingIn(s);
      const orm = await s.use(initOrm(process.env.DATABASE_URL!, { pool: { min: 0, max: 3 } }), (o) => o.close());
      const boxes = await s.use(startPaymentSandboxes({ ports: 0 }), (b) => b.stop());
      return { env, orm, boxes, gateways: createGateways(defaultPaymentConfig({ ...process.env, ...boxes.env })) };
    },
    { timeoutMs: 60_000 },
  );

  async function newIntent(amountMinor = 25_000): Promise<PaymentIntentInput> {
    const userId = await createUser(fx.orm);
    const intentId = randomUUID();
    await fx.orm.em
      .getConnection()
      .execute(`insert into payment_intents (id, user_id, gateway, amount_minor, expires_at) values (?, ?, 'khalti', ?, now() + interval '30 minutes')`, [
        intentId,
        userId,
        amountMinor,
      ]);
    return { intentId, userId, gateway: 'khalti', amountMinor, returnUrl: 'http://127.0.0.1:9/api/payment/webhook/khalti', ttlMs: 30 * 60_000, pollMs: 30_000 };
  }
  /** A worker runs once: each test gets its own (and one for the gateway calls' queue) for the length of its work. */
  async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
    const deps = { orm: fx.orm, gateways: fx.gateways, brand: 'ChargeGhar' };
    const worker = await Worker.create({
      connection: fx.env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      // The intent's own activities and the social step its settlement runs (src/workers/activities.ts registers both).
      activities: { ...createPaymentActivities(deps), ...createSocialActivities({ orm: fx.orm, timelyReturnBonusPoints: 0 }) },
    });
    const gateways = await Worker.create({
      connection: fx.env.nativeConnection,
      taskQueue: gatewayTaskQueue(taskQueue),
      activities: createGatewayActivities(deps),
    });
    return gateways.runUntil(worker.runUntil(fn()));
  }
  const row = async (id: string) => (await fx.orm.em.getConnection().execute(`select * from payment_intents where id = ?`, [id]))[0];

  it('when nobody pays for 30 minutes, then the intent expires, nothing is credited and the user is told why', async () => {
    const input = await newIntent();
    const result = await withWorker(() =>
      fx.env.client.workflow.execute<PaymentIntentWorkflow>('paymentIntentWorkflow', {
        workflowId: `payment-intent:${input.intentId}`,
        taskQueue,
        args: [input],
      }),
    );
    expect(result).toMatchObject({ state: 'expired', reason: 'not paid within 30 minutes' });
    // Thirty minutes on the server's clock (skipped: the test's own timeout is a minute).
    expect(await serverTimeSpent(fx.env.client.workflow.getHandle(`payment-intent:${input.intentId}`))).toBeGreaterThanOrEqual(30 * 60_000);
    expect(await row(input.intentId)).toMatchObject({ status: 'expired', failure_reason: 'not paid within 30 minutes', journal_entry_id: null });
    expect(await new LedgerService(fx.orm).balances(input.userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect(await notificationsOf(fx.orm, input.userId)).toEqual([
      expect.objectContaining({ type: 'payment_status', data: expect.objectContaining({ status: 'expired' }) }),
    ]);
  });

  it("when the payer pays after 10 minutes and no callback ever comes, then the workflow's own polling credits the wallet once", async () => {
    const input = await newIntent(30_000);
    const result = await withWorker(async () => {
      const handle = await fx.env.client.workflow.start<PaymentIntentWorkflow>('paymentIntentWorkflow', {
        workflowId: `payment-intent:${input.intentId}`,
        taskQueue,
        args: [input],
      });
      const pidx = await eventually(async () => (await row(input.intentId))?.gateway_ref as string | null);
      await fx.env.sleep(10 * 60_000);
      expect((await row(input.intentId)).status).toBe('pending');
      await fx.boxes.khalti.pay(pidx);
      return handle.result();
    });
    expect(result).toMatchObject({ state: 'success', pointsAwarded: 30 });
    expect(await new LedgerService(fx.orm).balances(input.userId, 'NPR')).toEqual({ walletMinor: 30_000, points: 30 });
    expect(await row(input.intentId)).toMatchObject({ status: 'success', failure_reason: null });
  });
});
