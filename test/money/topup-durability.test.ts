import { NativeConnection } from '@temporalio/worker';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { eventually } from '../support/stack';
import { runStackWorker, type RunningWorker } from '../support/workers';
import { bearer, createUser, ledgerInvariants, usePaymentStack } from './support';

/** A worker killed while top-ups are in flight; a new worker on the same task queue finishes them. */
describe('top-ups survive a worker restart', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '2' }, bridge: false, worker: false }, async ({ stack }, s) => ({
    connection: await s.use(NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS }), (c) => c.close()),
  }));

  const startWorker = (): Promise<RunningWorker> => runStackWorker(fx.stack, fx.connection, {
    gateways: fx.gateways,
    // A dead worker's sticky queue is abandoned after this; the default (10 s) only slows the test.
    options: { stickyQueueScheduleToStartTimeout: '1s' },
  });

  it('when the worker is killed with intents in flight and a new one starts, then every paid intent is credited exactly once', async () => {
    const first = await startWorker();
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(fx.stack.orm)));
    const gatewayOf = (i: number) => (['khalti', 'stripe', 'esewa'] as const)[i % 3];
    const intents = await Promise.all(users.map(async (u, i) => {
      const res = await fx.api().post('/api/payment/wallet/topup-intent').set(await bearer(fx.stack, u)).send({ amount: '100.00', gateway: gatewayOf(i) });
      expect(res.status).toBe(200);
      return res.body.data as { intent_id: string; gateway_ref: string; gateway_data: Record<string, unknown> | null };
    }));
    const pay = async (i: number) => {
      const it = intents[i];
      if (gatewayOf(i) === 'khalti') await fx.boxes.khalti.pay(it.gateway_ref, { follow: true });
      else if (gatewayOf(i) === 'stripe') await fx.boxes.stripe.pay(it.gateway_ref);
      else { await fx.boxes.esewa.submitForm(it.gateway_data!.formFields as Record<string, string>); await fx.boxes.esewa.pay(it.gateway_ref, { follow: true }); }
    };

    // Half are paid while the worker runs; it is killed at once, mid-flight.
    await Promise.all([0, 1, 2].map(pay));
    first.worker.shutdown();
    await first.running;
    // The other half are paid while no worker runs: their callbacks are signals that wait in Temporal.
    await Promise.all([3, 4, 5].map(pay));
    await new Promise((r) => setTimeout(r, 500));
    const creditedWhileDown = await fx.stack.orm.em.getConnection().execute(
      `select count(*)::int n from journal_entries where idempotency_key in (${intents.slice(3).map(() => '?').join(',')})`, intents.slice(3).map((i) => `topup:${i.intent_id}`));
    expect(creditedWhileDown).toEqual([{ n: 0 }]);

    const second = await startWorker();
    try {
      const money = createLedgerServices(fx.stack.orm);
      await eventually(async () => {
        const rows = await fx.stack.orm.em.getConnection().execute(`select count(*)::int n from payment_intents where id in (${intents.map(() => '?').join(',')}) and status = 'success'`, intents.map((i) => i.intent_id));
        return rows[0].n === 6;
      }, 30_000, 200);
      for (const u of users) expect(await money.ledger.balances(u, 'NPR')).toEqual({ walletMinor: 10_000, points: 10 });
      const entries = await fx.stack.orm.em.getConnection().execute(
        `select idempotency_key, count(*)::int n from journal_entries where user_id in (${users.map(() => '?').join(',')}) group by 1`, users);
      expect(entries).toHaveLength(12); // one top-up and one points award per user
      expect(entries.every((e) => e.n === 1)).toBe(true);
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      second.worker.shutdown();
      await second.running;
    }
  });
});
