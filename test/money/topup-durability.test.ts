import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { intentWorkflowId } from '../../src/modules/payments/workflows/definitions';
import { eventually } from '../support/stack';
import { deleteSweepSchedules, spawnStackWorker, type WorkerProcess } from '../support/workers';
import { bearer, createUser, ledgerInvariants, usePaymentStack } from './support';

/**
 * A worker process (src/workers/worker.ts, configured like the stack, the payment sandboxes
 * included) crashes with SIGKILL while top-ups are in flight; a new worker process on the same task
 * queue finishes them.
 */
describe('top-ups survive a worker restart', () => {
  const workers: WorkerProcess[] = [];
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '2' }, bridge: false, worker: false }, async ({ stack }, s) => {
    s.defer(() => deleteSweepSchedules(stack));
    s.defer(() => Promise.all(workers.map((w) => w.kill())));
    return {};
  });

  const startWorker = async (): Promise<WorkerProcess> => {
    const w = await spawnStackWorker(fx.stack);
    workers.push(w);
    return w;
  };

  it('when the worker is killed with intents in flight and a new one starts, then every paid intent is credited exactly once', async () => {
    const first = await startWorker();
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(fx.stack.orm)));
    const gatewayOf = (i: number) => (['khalti', 'stripe', 'esewa'] as const)[i % 3];
    const intents = await Promise.all(
      users.map(async (u, i) => {
        const res = await fx
          .api()
          .post('/api/payment/wallet/topup-intent')
          .set(await bearer(fx.stack, u))
          .send({ amount: '100.00', gateway: gatewayOf(i) });
        expect(res.status).toBe(200);
        return res.body.data as { intent_id: string; gateway_ref: string; gateway_data: Record<string, unknown> | null };
      }),
    );
    const pay = async (i: number) => {
      const it = intents[i];
      if (gatewayOf(i) === 'khalti') await fx.boxes.khalti.pay(it.gateway_ref, { follow: true });
      else if (gatewayOf(i) === 'stripe') await fx.boxes.stripe.pay(it.gateway_ref);
      else {
        await fx.boxes.esewa.submitForm(it.gateway_data!.formFields as Record<string, string>);
        await fx.boxes.esewa.pay(it.gateway_ref, { follow: true });
      }
    };

    // Half are paid while the worker runs; it is killed at once (SIGKILL), mid-flight.
    await Promise.all([0, 1, 2].map(pay));
    expect(await first.kill()).toBe('SIGKILL');
    // The other half are paid while no worker runs: their callbacks are signals that wait in Temporal.
    await Promise.all([3, 4, 5].map(pay));
    // Each of those signals is in its workflow's history with no workflow task started after it:
    // nothing has run the workflow since, so nothing can have credited it.
    await eventually(async () => {
      const waiting = await Promise.all(
        intents.slice(3).map(async (it) => {
          const events = (await fx.stack.temporal.workflow.getHandle(intentWorkflowId(it.intent_id)).fetchHistory()).events ?? [];
          const signaled = events.map((e) => Boolean(e.workflowExecutionSignaledEventAttributes)).lastIndexOf(true);
          return signaled >= 0 && !events.slice(signaled).some((e) => e.workflowTaskStartedEventAttributes);
        }),
      );
      return waiting.every(Boolean);
    }, 15_000);
    const creditedWhileDown = await fx.stack.orm.em.getConnection().execute(
      `select count(*)::int n from journal_entries where idempotency_key in (${intents
        .slice(3)
        .map(() => '?')
        .join(',')})`,
      intents.slice(3).map((i) => `topup:${i.intent_id}`),
    );
    expect(creditedWhileDown).toEqual([{ n: 0 }]);

    const second = await startWorker();
    try {
      const money = createLedgerServices(fx.stack.orm);
      await eventually(
        async () => {
          const rows = await fx.stack.orm.em.getConnection().execute(
            `select count(*)::int n from payment_intents where id in (${intents.map(() => '?').join(',')}) and status = 'success'`,
            intents.map((i) => i.intent_id),
          );
          return rows[0].n === 6;
        },
        45_000,
        200,
      );
      for (const u of users) expect(await money.ledger.balances(u, 'NPR')).toEqual({ walletMinor: 10_000, points: 10 });
      const entries = await fx.stack.orm.em
        .getConnection()
        .execute(`select idempotency_key, count(*)::int n from journal_entries where user_id in (${users.map(() => '?').join(',')}) group by 1`, users);
      expect(entries).toHaveLength(12); // one top-up and one points award per user
      expect(entries.every((e) => e.n === 1)).toBe(true);
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      await second.kill();
    }
  }, 90_000);
});
