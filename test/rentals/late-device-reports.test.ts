import type { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { ledgerInvariants } from '../money/support';
import { eventually } from '../support/stack';
import {
  api,
  balances,
  createRenter,
  entriesOf,
  inventoryOf,
  ONLY_BAY_1_RENTABLE,
  rentalInStatus,
  rentOnePowerBankTwice,
  sql,
  startBody,
  startKiosk,
  useRentalStack,
} from './support';

/**
 * Device reports that arrive late or twice: an eject's ack after the rental already timed out, the
 * same ack again, a heartbeat (or slot event) the kiosk stamped before a newer report of the same
 * bay. None of them moves money or turns the inventory back.
 */
describe('rentals: late and repeated device reports', () => {
  const fx = useRentalStack({ env: { RENTAL_EJECT_WATCH_INTERVAL_SECONDS: '1', RENTAL_EJECT_WATCH_MINUTES: '1' } });
  /** The kiosk itself sends it again, late, over its own authenticated connection. */
  const publish = (sim: KioskSimulator, channel: 'ack' | 'event' | 'heartbeat', body: object) => sim.publish(channel, body);
  const bay = async (sn: string, index: number) =>
    (
      await sql(
        fx.stack,
        `select s.status, s.power_bank_sn, s.battery_level from slots s join stations st on st.id = s.station_id where st.sn = ? and s.index = ?`,
        [sn, index],
      )
    )[0];

  /** The kiosk's bays and a time stamped before its eject, then a rental from it. */
  const rentAfterSnapshot = async (kiosk: KioskSimulator) => {
    const bays = kiosk.bays();
    const staleTs = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(kiosk, fx.pkg.hour));
    expect(res.status).toBe(201);
    const { id: rentalId, slot, power_bank_sn: powerBankSn } = res.body.data as { id: string; slot: number; power_bank_sn: string };
    return { bays, staleTs, renter, rentalId, slot, powerBankSn };
  };

  it('when the ack comes after the eject timed out, and again, then the rental stays failed and refunded once, and the power bank counts as out', async () => {
    const slow = await startKiosk(fx.stack, { ejectDelayMs: 6000 }); // the latch opens after the 2 s ack timeout and the 3 s wait for a slot event
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(slow, fx.pkg.hour));
      expect(res.status).toBe(504);
      const rentalId = res.body.error.details.rental_id as string;
      const handle = fx.stack.temporal.workflow.getHandle(`rental:${rentalId}`);
      const acksIn = async () =>
        (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'deviceAck').length;
      await eventually(async () => (await acksIn()) === 1, 10_000); // the kiosk's own, late
      await publish(slow, 'ack', { id: `rental:${rentalId}#1`, ok: true, slot: 1, powerBankSn: 'PB-any' }); // and once more
      await eventually(async () => (await acksIn()) === 2, 10_000);

      // The eject watch saw the bay let the power bank go: flagged for admins, out with the rider, nothing charged.
      const rental = await eventually(async () => {
        const [r] = await sql(fx.stack, 'select * from rentals where id = ?', [rentalId]);
        return r.review_reason ? r : undefined;
      }, 15_000);
      expect(rental).toMatchObject({ status: 'failed', payment_status: 'refunded', failure_code: 'DEVICE_TIMEOUT', review_reason: 'ejected_after_failure' });
      expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 5000, points: 0 });
      expect((await entriesOf(fx.stack, `rental-charge:${rentalId}`)).length).toBe(1);
      expect((await entriesOf(fx.stack, `refund:rental-charge:${rentalId}`)).length).toBe(1);
      expect((await inventoryOf(fx.stack, slow.sn, rental.power_bank_sn)).powerBank).toMatchObject({ status: 'rented', station_sn: null });
      expect((await sql(fx.stack, 'select status from device_commands where id = ?', [`rental:${rentalId}#1`]))[0].status).toBe('timeout');
      expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
    } finally {
      await slow.stop();
    }
  });

  it('when a heartbeat or slot event stamped before the eject arrives after it, then the bay stays empty; newer reports still apply', async () => {
    const kiosk = await startKiosk(fx.stack, { heartbeatMs: 0 }); // heartbeats only when the test sends them
    try {
      const { bays, staleTs, renter, rentalId, slot, powerBankSn } = await rentAfterSnapshot(kiosk);
      await eventually(async () => (await bay(kiosk.sn, slot)).status === 'empty');
      const lastBay = bays.find((b) => b.index !== slot && b.powerBankSn)!;

      // The heartbeat the kiosk built before the eject, delivered after it; the last bay listed (reported
      // before that heartbeat, so it applies) shows when the bridge is done with it.
      const stale = bays.filter((b) => b.index !== lastBay.index).concat({ ...lastBay, batteryLevel: 77 });
      await publish(kiosk, 'heartbeat', { ts: staleTs, slots: stale });
      await eventually(async () => (await bay(kiosk.sn, lastBay.index)).battery_level === 77);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'empty', power_bank_sn: null });

      // A slot event from before the eject, late too: ignored the same way.
      await publish(kiosk, 'event', { type: 'slot', slot, powerBankSn, batteryLevel: 90, ts: staleTs });
      await publish(kiosk, 'heartbeat', { ts: Date.now(), slots: [{ ...lastBay, batteryLevel: 78 }] });
      await eventually(async () => (await bay(kiosk.sn, lastBay.index)).battery_level === 78);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'empty', power_bank_sn: null });
      expect((await api(fx.stack, renter.token).get('/rentals/active')).body.data).toMatchObject({ status: 'active', power_bank_sn: powerBankSn });

      // The power bank comes back: the return and every newer report apply as usual.
      await kiosk.returnPowerBank(powerBankSn, slot, 64);
      await rentalInStatus(fx.stack, rentalId, ['completed']);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'occupied', power_bank_sn: powerBankSn, battery_level: 64 });
      const thirdBay = bays.find((b) => b.index !== slot && b.index !== lastBay.index && b.powerBankSn)!; // reported only at the start
      await publish(kiosk, 'heartbeat', {
        ts: staleTs,
        slots: [
          { index: slot, powerBankSn: null, batteryLevel: null, status: 'empty' },
          { ...thirdBay, batteryLevel: 55 },
        ],
      });
      await eventually(async () => (await bay(kiosk.sn, thirdBay.index)).battery_level === 55);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'occupied', power_bank_sn: powerBankSn });
    } finally {
      await kiosk.stop();
    }
  });

  it("when the eject's own slot event is lost and a heartbeat built before the eject arrives after it (redelivered), then the bay stays empty", async () => {
    const kiosk = await startKiosk(fx.stack, { heartbeatMs: 0 });
    kiosk.setMode('drop-event'); // the ack arrives, the slot event saying the bay emptied does not
    try {
      const { bays, staleTs, rentalId, slot, powerBankSn } = await rentAfterSnapshot(kiosk);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'empty', power_bank_sn: null });

      const lastBay = bays.find((b) => b.index !== slot && b.powerBankSn)!;
      const stale = bays.filter((b) => b.index !== lastBay.index).concat({ ...lastBay, batteryLevel: 76 });
      await publish(kiosk, 'heartbeat', { ts: staleTs, slots: stale });
      await eventually(async () => (await bay(kiosk.sn, lastBay.index)).battery_level === 76);
      expect(await bay(kiosk.sn, slot)).toMatchObject({ status: 'empty', power_bank_sn: null }); // not offered to the next rider

      kiosk.setMode('normal');
      await kiosk.returnPowerBank(powerBankSn, slot);
      await rentalInStatus(fx.stack, rentalId, ['completed']);
    } finally {
      await kiosk.stop();
    }
  });

  it('when a return event is delivered again after its power bank went out with the next rider, then it changes nothing: that rental runs on', async () => {
    const kiosk = await startKiosk(fx.stack, { batteryLevels: ONLY_BAY_1_RENTABLE });
    try {
      const { first, second, returnSecond } = await rentOnePowerBankTwice(fx.stack, kiosk, fx.pkg.hour);
      const [event] = await sql(fx.stack, `select payload from power_bank_returns where station_sn = ? and rental_id = ?`, [kiosk.sn, first.id]);

      await publish(kiosk, 'event', event.payload); // the first return, again (QoS 1 redelivery)
      const marker = { ...kiosk.bay(2)!, batteryLevel: 6 };
      await publish(kiosk, 'heartbeat', { ts: Date.now(), slots: [marker] }); // shows when the bridge got past it
      await eventually(async () => (await bay(kiosk.sn, 2)).battery_level === 6);
      await new Promise((r) => setTimeout(r, 500));
      expect((await sql(fx.stack, 'select status from rentals where id = ?', [second.id]))[0].status).toBe('active');
      expect((await inventoryOf(fx.stack, kiosk.sn, second.power_bank_sn)).powerBank).toMatchObject({ status: 'rented', station_sn: null });
      await returnSecond();
    } finally {
      await kiosk.stop();
    }
  });

  it("when a return's event is lost (a broker restart) and the kiosk's next heartbeat shows the power bank in its bay, then the rental settles from the heartbeat, once", async () => {
    const kiosk = await startKiosk(fx.stack, { heartbeatMs: 0 });
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(kiosk, fx.pkg.hour))).body.data;
      expect(rental.status).toBe('active');
      const slot = await kiosk.returnPowerBank(rental.power_bank_sn, undefined, 70, { eventLost: true });
      await new Promise((r) => setTimeout(r, 300));
      expect((await sql(fx.stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');

      await kiosk.sendHeartbeat();
      expect(await rentalInStatus(fx.stack, rental.id, ['completed'])).toMatchObject({ return_station_sn: kiosk.sn, return_slot_index: slot });
      expect((await inventoryOf(fx.stack, kiosk.sn, rental.power_bank_sn)).powerBank).toMatchObject({ status: 'available', slot_index: slot });
      await kiosk.sendHeartbeat(); // and again: nothing more
      await new Promise((r) => setTimeout(r, 500));
      const returns = await sql(fx.stack, 'select event_id, outcome, rental_id from power_bank_returns where power_bank_sn = ? and rental_id = ?', [
        rental.power_bank_sn,
        rental.id,
      ]);
      expect(returns).toEqual([{ event_id: `heartbeat:${rental.id}`, outcome: 'matched', rental_id: rental.id }]);
      expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).length).toBe(1);
    } finally {
      await kiosk.stop();
    }
  });
});
