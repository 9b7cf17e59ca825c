import { onTimeSkipping, timeSkippingIn, useFixture } from '../support/fixtures';
import { rentalWorkflowId, returnedSignal } from '../../src/modules/rentals';
import { api, balances, createRenter, rentalInStatus, rentalStackIn, startBody } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';
import { sql } from '../support/db';

const MIN = 60_000;

/**
 * The kiosk took the power bank back before the due time, but its `returned` event reached the
 * workflow 40 minutes later (the bridge or the worker was down). The rental counts from the
 * kiosk's own time: no fine. Before, the return counted from when the worker saw the signal.
 */
describe('faults: a return that reaches the workflow late', () => {
  const fx = useFixture(
    async (s) => {
      const env = await timeSkippingIn(s);
      return { env, ...(await rentalStackIn(s, onTimeSkipping(env))) };
    },
    { timeoutMs: 60_000 },
  );
  /** What the bridge recorded when the kiosk's report came in (the power bank is docked there); only the signal is late. */
  const dockedAt = (stationSn: string, powerBankSn: string) =>
    sql(fx.stack, `update power_banks set station_id = (select id from stations where sn = ?), status = 'available' where sn = ?`, [stationSn, powerBankSn]);

  it('when the return is signalled 40 minutes after the kiosk reported it, then it counts from the kiosk time and no fine is charged', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    await fx.env.sleep(50 * MIN);
    const returnedAt = await fx.env.currentTimeMs();
    await fx.env.sleep(40 * MIN); // the rental turns overdue meanwhile: due at +60, now +90
    await rentalInStatus(fx.stack, rental.id, ['overdue']);
    await dockedAt(fx.sim.sn, rental.power_bank_sn);
    await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).signal(returnedSignal, {
      eventId: 'late-1',
      stationSn: fx.sim.sn,
      slot: 1,
      powerBankSn: rental.power_bank_sn,
      batteryLevel: 80,
      reportedAt: returnedAt,
    });
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect(done).toMatchObject({ fine_minor: '0', usage_minor: '0', payment_status: 'paid' });
    expect(new Date(done.returned_at).getTime()).toBe(returnedAt);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 10 }); // on time by the kiosk's clock: +5 and the +5 bonus
    expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
  });

  it('when a kiosk reports a time from the future, then the return counts now; from before the eject, then it counts from the eject', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const returnWith = async (offset: (startedAt: number, now: number) => number) => {
      const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
      await fx.env.sleep(10 * MIN);
      const startedAt = new Date(rental.started_at).getTime();
      const now = await fx.env.currentTimeMs();
      await dockedAt(fx.sim.sn, rental.power_bank_sn);
      await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id)).signal(returnedSignal, {
        eventId: `odd-clock-${now}`,
        stationSn: fx.sim.sn,
        slot: 1,
        powerBankSn: rental.power_bank_sn,
        reportedAt: offset(startedAt, now),
      });
      const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
      return { returned: new Date(done.returned_at).getTime(), startedAt, now };
    };
    const future = await returnWith((_, now) => now + 365 * 24 * 60 * MIN);
    // The moment the workflow saw the signal: a few milliseconds after the test read the clock, a year before what the kiosk said.
    expect(future.returned - future.now).toBeGreaterThanOrEqual(0);
    expect(future.returned - future.now).toBeLessThan(60_000);
    const early = await returnWith((startedAt) => startedAt - 5 * MIN);
    expect(early.returned).toBe(early.startedAt);
  });
});
