import { NativeConnection, type Worker } from '@temporalio/worker';
import { createMessaging } from '../../src/integrations/messaging';
import { topic } from '../../src/integrations/mqtt/topics';
import type { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { createWorker } from '../../src/workers/temporal-worker';
import { ledgerInvariants } from '../money/support';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { api, balances, createRenter, ensurePackages, entriesOf, rentalInStatus, sql, startBody, startKiosk } from './support';

/** A rental survives its worker, and a return reported many times settles once. */
describe('rental durability', () => {
  let stack: TestStack;
  let sim: KioskSimulator;
  let pkg: { hour: string; twoHours: string };
  let connection: NativeConnection;
  let worker: { w: Worker; running: Promise<void> } | undefined;

  const runWorker = async () => {
    const w = await createWorker({
      connection, namespace: stack.config.TEMPORAL_NAMESPACE, taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      orm: stack.orm, bus: stack.bus, config: stack.config, messaging: createMessaging(stack.config), workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
    worker = { w, running: w.run() };
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.w.shutdown();
    await worker.running;
    worker = undefined;
  };

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
    pkg = await ensurePackages(stack);
    sim = await startKiosk(stack);
    await runWorker();
  });
  afterAll(async () => {
    await stopWorker();
    await connection?.close();
    await sim?.stop();
    await stack?.close();
  });

  it('when the worker dies mid-rental and a new one takes over the task queue, then the rental completes and the ledger is exact', async () => {
    const renter = await createRenter(stack, { walletMinor: 5000, points: 30 });
    const rental = (await api(stack, renter.token).post('/rentals/start', startBody(sim, pkg.hour))).body.data;
    expect(rental.status).toBe('active');
    expect(await balances(stack, renter.id)).toEqual({ walletMinor: 3300, points: 0 });

    await stopWorker();
    // Returned while no worker runs: the bridge's signal waits in the workflow's history.
    await sim.returnPowerBank(rental.power_bank_sn);
    await eventually(async () => (await sql(stack, 'select outcome from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn]))[0]?.outcome === 'matched');
    expect((await sql(stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');

    await runWorker();
    const done = await rentalInStatus(stack, rental.id, ['completed']);
    expect(done).toMatchObject({ payment_status: 'paid', paid_minor: '2000', fine_minor: '0', due_minor: '0' });
    expect(await balances(stack, renter.id)).toEqual({ walletMinor: 3300, points: 5 });
    const keys = (await sql(stack, 'select idempotency_key from journal_entries where user_id = ? order by created_at', [renter.id])).map((r) => r.idempotency_key);
    expect(keys.filter((k) => k.includes(rental.id))).toEqual([`rental-charge:${rental.id}`, `points:rental:${rental.id}`]);
    expect(await ledgerInvariants(stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when the kiosk reports the same return 10 times (same and new event ids), then the rental settles once', async () => {
    const renter = await createRenter(stack, { walletMinor: 0 });
    const rental = (await api(stack, renter.token).post('/rentals/start', startBody(sim, pkg.hour, 'post_payment'))).body.data;
    const slot = await sim.returnPowerBank(rental.power_bank_sn);
    const event = (id: string) => JSON.stringify({ type: 'returned', id, slot, powerBankSn: rental.power_bank_sn, batteryLevel: 50, ts: Date.now() });
    const client = stack.bus.client;
    await Promise.all(Array.from({ length: 10 }, (_, i) =>
      client.publishAsync(topic('kiosk', sim.sn, 'event'), event(i % 2 ? `resend-${i}` : 'same-id'), { qos: 1 })));
    const done = await rentalInStatus(stack, rental.id, ['completed']);
    // Post-payment, returned within the first 15 minutes: one usage period of the 1-hour NPR 20 package.
    expect(done).toMatchObject({ usage_minor: '500', due_minor: '500', payment_status: 'due' });
    await eventually(async () => Number((await sql(stack, 'select count(*) n from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn]))[0].n) === 7);
    expect((await entriesOf(stack, `rental-usage:${rental.id}`)).length).toBe(1);
    expect((await entriesOf(stack, `points:rental:${rental.id}`)).length).toBe(1);
    expect(await balances(stack, renter.id)).toEqual({ walletMinor: -500, points: 5 });
    const events = await sql(stack, `select type from rental_events where rental_id = ? and type = 'returned'`, [rental.id]);
    expect(events).toHaveLength(1);
    // One Rental Status and one Fines/Dues notification (the 500 is a due: no money at all).
    const notes = await eventually(async () => {
      const rows = await sql(stack, `select type, dedupe_key from notifications where user_id = ? and dedupe_key like ? order by created_at`, [renter.id, `rental:${rental.id}:%`]);
      return rows.length >= 3 ? rows : undefined;
    });
    expect(notes.map((n) => n.dedupe_key)).toEqual([`rental:${rental.id}:ejected`, `rental:${rental.id}:returned`, `rental:${rental.id}:fines-dues`]);
    expect(notes.map((n) => n.type)).toEqual(['rental_status', 'rental_status', 'fines_dues']);
  });
});
