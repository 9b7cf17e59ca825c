import request from 'supertest';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createGateways, defaultPaymentConfig, startPaymentSandboxes, type PaymentSandboxes } from '../../src/integrations/payments';
import { createMessaging } from '../../src/integrations/messaging';
import { createLedgerServices } from '../../src/services/ledger';
import { createWorker } from '../../src/workers/temporal-worker';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { bearer, createUser, ledgerInvariants, RecordingNotifier } from './support';

/** A worker killed while top-ups are in flight; a new worker on the same task queue finishes them. */
describe('top-ups survive a worker restart', () => {
  let boxes: PaymentSandboxes;
  let stack: TestStack;
  let connection: NativeConnection;
  let gateways: ReturnType<typeof createGateways>;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    boxes = await startPaymentSandboxes({ ports: 0 });
    gateways = createGateways(defaultPaymentConfig({ ...process.env, ...boxes.env }));
    stack = await startTestStack({ env: { ...boxes.env, PAYMENT_POLL_SECONDS: '2' }, bridge: false, worker: false, gateways, notifier });
    await boxes.stripe.setWebhookEndpoint({ url: `${stack.baseUrl}/api/payment/webhook/stripe`, autoDeliver: true });
    connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
  });
  afterAll(async () => {
    await connection.close();
    await stack.close();
    await boxes.stop();
  });

  const startWorker = async (): Promise<{ worker: Worker; running: Promise<void> }> => {
    const worker = await createWorker({
      connection, namespace: stack.config.TEMPORAL_NAMESPACE, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, orm: stack.orm, bus: stack.bus,
      config: stack.config, messaging: createMessaging(stack.config), workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH, gateways, notifier,
      // A dead worker's sticky queue is abandoned after this; the default (10 s) only slows the test.
      options: { stickyQueueScheduleToStartTimeout: '1s' },
    });
    return { worker, running: worker.run() };
  };

  it('when the worker is killed with intents in flight and a new one starts, then every paid intent is credited exactly once', async () => {
    const first = await startWorker();
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(stack.orm)));
    const gatewayOf = (i: number) => (['khalti', 'stripe', 'esewa'] as const)[i % 3];
    const intents = await Promise.all(users.map(async (u, i) => {
      const res = await request(stack.baseUrl).post('/api/payment/wallet/topup-intent').set(await bearer(stack, u)).send({ amount: '100.00', gateway: gatewayOf(i) });
      expect(res.status).toBe(200);
      return res.body.data as { intent_id: string; gateway_ref: string; gateway_data: Record<string, unknown> | null };
    }));
    const pay = async (i: number) => {
      const it = intents[i];
      if (gatewayOf(i) === 'khalti') await boxes.khalti.pay(it.gateway_ref, { follow: true });
      else if (gatewayOf(i) === 'stripe') await boxes.stripe.pay(it.gateway_ref);
      else { await boxes.esewa.submitForm(it.gateway_data!.formFields as Record<string, string>); await boxes.esewa.pay(it.gateway_ref, { follow: true }); }
    };

    // Half are paid while the worker runs; it is killed at once, mid-flight.
    await Promise.all([0, 1, 2].map(pay));
    first.worker.shutdown();
    await first.running;
    // The other half are paid while no worker runs: their callbacks are signals that wait in Temporal.
    await Promise.all([3, 4, 5].map(pay));
    await new Promise((r) => setTimeout(r, 500));
    const creditedWhileDown = await stack.orm.em.getConnection().execute(
      `select count(*)::int n from journal_entries where idempotency_key in (${intents.slice(3).map(() => '?').join(',')})`, intents.slice(3).map((i) => `topup:${i.intent_id}`));
    expect(creditedWhileDown).toEqual([{ n: 0 }]);

    const second = await startWorker();
    try {
      const money = createLedgerServices(stack.orm);
      await eventually(async () => {
        const rows = await stack.orm.em.getConnection().execute(`select count(*)::int n from payment_intents where id in (${intents.map(() => '?').join(',')}) and status = 'success'`, intents.map((i) => i.intent_id));
        return rows[0].n === 6;
      }, 30_000, 200);
      for (const u of users) expect(await money.ledger.balances(u)).toEqual({ walletMinor: 10_000, points: 10 });
      const entries = await stack.orm.em.getConnection().execute(
        `select idempotency_key, count(*)::int n from journal_entries where user_id in (${users.map(() => '?').join(',')}) group by 1`, users);
      expect(entries).toHaveLength(12); // one top-up and one points award per user
      expect(entries.every((e) => e.n === 1)).toBe(true);
      expect(await ledgerInvariants(stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      second.worker.shutdown();
      await second.running;
    }
  });
});
