import { randomUUID } from 'node:crypto';
import { ledgerInvariants } from '../money/support';
import { connectAsService } from '../support/devices';
import { spawnTsx, type TsxChild } from '../support/processes';
import { eventually } from '../support/stack';
import { startTcpProxy } from '../support/tcp-proxy';
import { deleteSweepSchedules, spawnStackWorker, type WorkerProcess } from '../support/workers';
import { api, balances, createRenter, entriesOf, inventoryOf, rentalInStatus, sql, startBody, useRentalStack } from './support';

/** A rental survives its worker and its bridge, and a return reported many times settles once. */
describe('rental durability', () => {
  /** The worker of the moment, a process of its own (src/workers/worker.ts): the first test kills it and starts another. */
  let worker: WorkerProcess | undefined;
  const killWorker = async () => {
    const dying = worker;
    worker = undefined;
    return dying?.kill();
  };
  const fx = useRentalStack({ worker: false }, async ({ stack }, s) => {
    s.defer(() => deleteSweepSchedules(stack));
    s.defer(killWorker);
    worker = await spawnStackWorker(stack);
    return {};
  });
  const runWorker = async () => {
    worker = await spawnStackWorker(fx.stack);
  };

  it('when the worker dies mid-rental and a new one takes over the task queue, then the rental completes and the ledger is exact', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000, points: 30 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(rental.status).toBe('active');
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3300, points: 0 });

    // A crash, mid-rental: the worker process is SIGKILLed, nothing shuts down.
    expect(await killWorker()).toBe('SIGKILL');
    // Returned while no worker runs: the bridge's signal waits in the workflow's history.
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await eventually(
      async () => (await sql(fx.stack, 'select outcome from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn]))[0]?.outcome === 'matched',
    );
    expect((await sql(fx.stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');

    await runWorker();
    const done = await rentalInStatus(fx.stack, rental.id, ['completed'], 30_000);
    expect(done).toMatchObject({ payment_status: 'paid', paid_minor: '2000', fine_minor: '0', due_minor: '0' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3300, points: 10 }); // +5 completed, +5 timely-return bonus
    const keys = (await sql(fx.stack, 'select idempotency_key from journal_entries where user_id = ? order by created_at', [renter.id])).map(
      (r) => r.idempotency_key,
    );
    expect(keys.filter((k) => k.includes(rental.id))).toEqual([
      `rental-charge:${rental.id}`,
      `points:rental:${rental.id}`,
      `points:timely-return:${rental.id}`,
    ]);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when the kiosk reports the same return 10 times (same and new event ids), then the rental settles once', async () => {
    if (!worker) await runWorker(); // the test before left one running, unless it failed half-way
    const renter = await createRenter(fx.stack, { walletMinor: 0 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'))).body.data;
    const slot = await fx.sim.returnPowerBank(rental.power_bank_sn);
    const event = (id: string) => ({ type: 'returned', id, slot, powerBankSn: rental.power_bank_sn, batteryLevel: 50, ts: Date.now() });
    // The kiosk itself re-sends it, over its own connection (only it may publish on its topics).
    await Promise.all(Array.from({ length: 10 }, (_, i) => fx.sim.publish('event', event(i % 2 ? `resend-${i}` : 'same-id'))));
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    // Post-payment, returned within the first 15 minutes: one usage period of the 1-hour NPR 20 package.
    expect(done).toMatchObject({ usage_minor: '500', due_minor: '500', payment_status: 'due' });
    await eventually(
      async () => Number((await sql(fx.stack, 'select count(*) n from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn]))[0].n) === 7,
    );
    expect((await entriesOf(fx.stack, `rental-usage:${rental.id}`)).length).toBe(1);
    expect((await entriesOf(fx.stack, `points:rental:${rental.id}`)).length).toBe(1);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: -500, points: 10 });
    const events = await sql(fx.stack, `select type from rental_events where rental_id = ? and type = 'returned'`, [rental.id]);
    expect(events).toHaveLength(1);
    // One Rental Status and one Fines/Dues notification (the 500 is a due: no money at all).
    const notes = await eventually(async () => {
      const rows = await sql(fx.stack, `select type, dedupe_key from notifications where user_id = ? and dedupe_key like ? order by created_at`, [
        renter.id,
        `rental:${rental.id}:%`,
      ]);
      return rows.length >= 3 ? rows : undefined;
    });
    expect(notes.map((n) => n.dedupe_key)).toEqual([`rental:${rental.id}:ejected`, `rental:${rental.id}:returned`, `rental:${rental.id}:fines-dues`]);
    expect(notes.map((n) => n.type)).toEqual(['rental_status', 'rental_status', 'fines_dues']);
  });

  it('when the bridge process is killed (-9) while it handles a return it got, then the next bridge gets the event again and the rental settles once', async () => {
    if (!worker) await runWorker();
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(rental.status).toBe('active');
    // From here the bridges are processes of their own (src/workers/mqtt-bridge.ts) with one client
    // id, hence one persistent session at the broker, as a supervisor restarts a bridge.
    await fx.stack.bridge!.stop();
    const clientId = `stationflow-bridge-test-${randomUUID().slice(0, 8)}`;
    const spawnBridge = async (temporalAddress: string) => {
      const child = spawnTsx('src/workers/mqtt-bridge.ts', [], {
        ...process.env,
        ...fx.stack.env,
        TEMPORAL_ADDRESS: temporalAddress,
        MQTT_BRIDGE_CLIENT_ID: clientId,
        MQTT_BRIDGE_SWEEP_SCOPE: 'heard', // the database is shared with other files' stations
        LOG_LEVEL: 'info',
      });
      await child.waitFor(/"msg":"MQTT bridge running"/, 30_000);
      return child;
    };
    const temporal = await startTcpProxy(`http://${process.env.TEMPORAL_ADDRESS}`);
    const bridges: TsxChild[] = [];
    try {
      bridges.push(await spawnBridge(`127.0.0.1:${temporal.port}`));
      temporal.cut(); // Temporal is unreachable for this bridge: the return's signal cannot go out
      await fx.sim.returnPowerBank(rental.power_bank_sn);
      // The bridge has the event: its handler's first step put the power bank back in its bay.
      await eventually(async () => (await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).slot !== null);
      expect(await bridges[0].stop('SIGKILL')).toBe('SIGKILL');
      expect((await sql(fx.stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');

      bridges.push(await spawnBridge(process.env.TEMPORAL_ADDRESS!));
      const done = await rentalInStatus(fx.stack, rental.id, ['completed'], 30_000);
      expect(done).toMatchObject({ payment_status: 'paid', paid_minor: '2000', return_station_sn: fx.sim.sn });
      expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).length).toBe(1);
      const returns = await sql(fx.stack, 'select outcome, rental_id from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn]);
      expect(returns).toEqual([{ outcome: 'matched', rental_id: rental.id }]);
      expect(await sql(fx.stack, `select type from rental_events where rental_id = ? and type = 'returned'`, [rental.id])).toHaveLength(1);
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      for (const b of bridges) {
        await b.stop();
        // What a killed process's helpers (tsx's esbuild service) may still hold open.
        b.child.stdout?.destroy();
        b.child.stderr?.destroy();
      }
      await temporal.close();
      // The broker forgets the test bridges' session; the stack's own bridge takes over again.
      await (await connectAsService(fx.stack, 'bridge', { clientId, clean: true })).endAsync();
      await fx.stack.bridge!.start();
    }
  }, 90_000); // two bridge processes start (tsx) and the rental may wait 30 s: a lost event fails on the rental's status, not on the test's time
});
