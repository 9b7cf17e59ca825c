import type { MqttClient } from 'mqtt';
import { topic } from '../../src/kernel/devices/protocol';
import { returnedSignal, rentalWorkflowId } from '../../src/modules/rentals/workflows/definitions';
import { createRentalActivities } from '../../src/modules/rentals/activities/rental.activities';
import { connectAsDevice } from '../support/devices';
import { adminToken, createTestStation, eventually } from '../support/stack';
import {
  api,
  balances,
  createRenter,
  inventoryOf,
  ONLY_BAY_1_RENTABLE,
  rentalInStatus,
  rentOnePowerBankTwice,
  sql,
  startBody,
  startKiosk,
  useRentalStack,
} from '../rentals/support';

/**
 * Issue 10, item 2: what a device says counts only for the station that said it (the bridge stamps
 * the topic's serial on every signal). An ack from another station, a power bank a kiosk names in
 * place of the rental's, a return of a power bank the station cannot hold: none changes anything,
 * and a refused return is kept for admins.
 */
describe('security: device messages are bound to the station that sent them', () => {
  const fx = useRentalStack();
  const prefix = () => fx.stack.config.MQTT_TOPIC_PREFIX;
  const returnsOf = (powerBankSn: string) =>
    sql(fx.stack, 'select outcome, station_sn, rental_id, refusal_reason from power_bank_returns where power_bank_sn = ? order by id', [powerBankSn]);
  const rentalStatus = async (id: string) => (await sql(fx.stack, 'select status from rentals where id = ?', [id]))[0].status as string;
  const signalsOf = async (rentalId: string, name: string) =>
    (await fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rentalId)).fetchHistory()).events!.filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === name,
    ).length;

  it("when another station acks a rental's eject, then the rental does not count it: no ack from its own kiosk, so it fails and is refunded", async () => {
    const silent = await startKiosk(fx.stack, { mode: 'silent' });
    const intruderSn = await createTestStation(fx.stack.orm);
    const intruder = await connectAsDevice(fx.stack, intruderSn);
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const before = await balances(fx.stack, renter.id);
      const started = api(fx.stack, renter.token)
        .post('/rentals/start', startBody(silent, fx.pkg.hour))
        .then((r) => r);
      const rentalId = await eventually(async () => (await sql(fx.stack, 'select id from rentals where user_id = ?', [renter.id]))[0]?.id as string, 5_000, 20);
      const reserved = (await sql(fx.stack, 'select slot_index, power_bank_sn from rentals where id = ?', [rentalId]))[0];
      // On its own topic (the only one it may use), with the command id of the other station's eject.
      const forged = {
        id: `rental:${rentalId}#1`,
        ok: true,
        slot: reserved.slot_index,
        powerBankSn: reserved.power_bank_sn,
        from: { kind: 'kiosk', sn: silent.sn },
      };
      await intruder.publishAsync(topic('kiosk', intruderSn, 'ack', prefix()), JSON.stringify(forged), { qos: 1 });
      // It reached the workflow (on a loaded run the run itself appeared more than 10 s after its row).
      await eventually(async () => (await signalsOf(rentalId, 'deviceAck')) === 1, 30_000);

      const res = await started;
      expect(res.status).toBe(504);
      expect(res.body.error.code).toBe('DEVICE_TIMEOUT');
      expect(await rentalInStatus(fx.stack, rentalId, ['failed'])).toMatchObject({ payment_status: 'refunded' });
      expect(await balances(fx.stack, renter.id)).toEqual(before);
    } finally {
      await intruder.endAsync();
      await silent.stop();
    }
  });

  it('when the kiosk acks its eject naming another bay and power bank, then the rental keeps the ones it was given', async () => {
    const sn = await createTestStation(fx.stack.orm);
    const kiosk = await connectAsDevice(fx.stack, sn);
    try {
      await playKioskThatLies(kiosk, sn, prefix());
      await eventually(async () => (await sql(fx.stack, 'select online from stations where sn = ?', [sn]))[0].online);
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const res = await api(fx.stack, renter.token).post('/rentals/start', { ...startBody(fx.sim, fx.pkg.hour), station_sn: sn });
      expect(res.status).toBe(201);
      const [row] = await sql(fx.stack, 'select slot_index, power_bank_sn from rentals where id = ?', [res.body.data.id]);
      expect(row.power_bank_sn).toBe(`PB-${sn}-${row.slot_index}`);
      expect(res.body.data).toMatchObject({ power_bank_sn: row.power_bank_sn, slot: row.slot_index });
      expect(row.power_bank_sn).not.toBe('PB-SOMEONE-ELSES');
    } finally {
      await kiosk.endAsync();
    }
  });

  it('when a station reports the return of a power bank it cannot hold, then nothing changes and admins see it as refused; the real return still settles', async () => {
    const other = await startKiosk(fx.stack);
    try {
      const renter = await createRenter(fx.stack, { walletMinor: 5000 });
      const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
      expect(rental.status).toBe('active');
      const bay = rental.slot === 4 ? 5 : 4;
      const docked = `PB-${fx.sim.sn}-${bay}`; // in that bay of the rental's station, by that station's own reports
      const before = { rented: await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn), docked: await inventoryOf(fx.stack, fx.sim.sn, docked) };
      const bay1 = await inventoryOf(fx.stack, other.sn, `PB-${other.sn}-1`);
      const ts = Date.now();
      // Into a bay the station itself reports full of another power bank; and a power bank another station holds.
      await other.publish('event', { type: 'returned', id: 'fake-full-bay', slot: 1, powerBankSn: rental.power_bank_sn, batteryLevel: 80, ts });
      await other.publish('event', { type: 'returned', id: 'fake-held-elsewhere', slot: 8, powerBankSn: docked, batteryLevel: 80, ts });
      await eventually(async () => (await returnsOf(docked)).length === 1 && (await returnsOf(rental.power_bank_sn)).length === 1);

      expect(await returnsOf(rental.power_bank_sn)).toEqual([
        { outcome: 'refused', station_sn: other.sn, rental_id: rental.id, refusal_reason: `bay 1 holds PB-${other.sn}-1` },
      ]);
      expect(await returnsOf(docked)).toEqual([
        { outcome: 'refused', station_sn: other.sn, rental_id: null, refusal_reason: `held in bay ${bay} of ${fx.sim.sn}` },
      ]);
      expect(await rentalStatus(rental.id)).toBe('active');
      expect(await signalsOf(rental.id, 'returned')).toBe(0);
      expect(await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).toEqual(before.rented);
      expect(await inventoryOf(fx.stack, fx.sim.sn, docked)).toEqual(before.docked);
      expect(await inventoryOf(fx.stack, other.sn, `PB-${other.sn}-1`)).toEqual(bay1);
      const admin = await api(fx.stack, await adminToken(fx.stack)).get('/admin/rentals/returns?outcome=refused&page_size=100');
      expect(admin.body.data.results).toEqual(
        expect.arrayContaining([expect.objectContaining({ power_bank_sn: docked, outcome: 'refused', refusal_reason: `held in bay ${bay} of ${fx.sim.sn}` })]),
      );

      await other.returnPowerBank(rental.power_bank_sn, 8);
      expect(await rentalInStatus(fx.stack, rental.id, ['completed'])).toMatchObject({ return_station_sn: other.sn, return_slot_index: 8 });
    } finally {
      await other.stop();
    }
  });

  it("when a return into a freed bay is handled before the kiosk's slot event freeing it, then the return still settles its rental", async () => {
    const [one, two] = [await createRenter(fx.stack, { walletMinor: 5000 }), await createRenter(fx.stack, { walletMinor: 5000 })];
    const first = (await api(fx.stack, one.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    const second = (await api(fx.stack, two.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    // The first eject's `slot` event not applied yet (another bridge of the $share group still has it): the bay reads full.
    await sql(fx.stack, `update slots set power_bank_sn = ?, status = 'occupied' where index = ? and station_id = (select id from stations where sn = ?)`, [
      first.power_bank_sn,
      first.slot,
      fx.sim.sn,
    ]);
    await fx.sim.returnPowerBank(second.power_bank_sn, first.slot);
    expect(await rentalInStatus(fx.stack, second.id, ['completed'])).toMatchObject({ return_station_sn: fx.sim.sn, return_slot_index: first.slot });
    expect(await returnsOf(second.power_bank_sn)).toEqual([{ outcome: 'matched', station_sn: fx.sim.sn, rental_id: second.id, refusal_reason: null }]);
    await fx.sim.returnPowerBank(first.power_bank_sn);
    await rentalInStatus(fx.stack, first.id, ['completed']);
  });

  it('when a return into a bay is handled while the eject of its power bank is in flight (its ack not recorded), then the return still settles its rental', async () => {
    // The kiosk let the bay's power bank go for a rental whose ack is still on its way (here: never
    // is lost), and a rider pushed another power bank into the freed bay (fault suite ci6).
    const ejecting = await startKiosk(fx.stack, { mode: 'silent' });
    try {
      const [one, two] = [await createRenter(fx.stack, { walletMinor: 5000 }), await createRenter(fx.stack, { walletMinor: 5000 })];
      const out = (await api(fx.stack, one.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
      const started = api(fx.stack, two.token)
        .post('/rentals/start', startBody(ejecting, fx.pkg.hour))
        .then((r) => r);
      const inFlight = await eventually(
        async () => (await sql(fx.stack, `select slot_index, power_bank_sn from rentals where user_id = ? and status = 'starting'`, [two.id]))[0],
        10_000,
        20,
      );
      await ejecting.publish('event', {
        type: 'returned',
        id: 'into-the-freed-bay',
        slot: inFlight.slot_index,
        powerBankSn: out.power_bank_sn,
        batteryLevel: 70,
        ts: Date.now(),
      });

      expect(await rentalInStatus(fx.stack, out.id, ['completed'])).toMatchObject({ return_station_sn: ejecting.sn, return_slot_index: inFlight.slot_index });
      expect(await returnsOf(out.power_bank_sn)).toEqual([{ outcome: 'matched', station_sn: ejecting.sn, rental_id: out.id, refusal_reason: null }]);
      // Its ack never came, but its bay no longer holds its power bank: the eject counts (reconcile-lost-eject-ack).
      const second = await started;
      expect(second.status).toBe(201);
      expect(second.body.data).toMatchObject({ status: 'active', power_bank_sn: inFlight.power_bank_sn });
      await fx.sim.returnPowerBank(inFlight.power_bank_sn);
      await rentalInStatus(fx.stack, second.body.data.id, ['completed']);
    } finally {
      await ejecting.stop();
    }
  });

  it("when a rental's eject write runs again late (a paused worker's attempt after its retry), then the returned power bank stays docked", async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    const [row] = await sql(fx.stack, 'select started_at, due_at, paid_minor, payment_status from rentals where id = ?', [rental.id]);
    const bay = await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    const docked = await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn);
    expect(docked.powerBank).toMatchObject({ status: 'available', slot_index: bay });

    await createRentalActivities({ orm: fx.stack.orm }).rentalEjected({
      rentalId: rental.id,
      stationSn: fx.sim.sn,
      slot: rental.slot,
      powerBankSn: rental.power_bank_sn,
      startedAt: new Date(row.started_at).getTime(),
      dueAt: new Date(row.due_at).getTime(),
      paidMinor: row.paid_minor,
      paymentStatus: row.payment_status,
    });
    expect(await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).toEqual(docked);
    expect(await rentalStatus(rental.id)).toBe('completed');
  });

  it("when a return's station check runs again after its power bank went out with the next rider (a lost workflow task), then the recorded return still counts", async () => {
    const kiosk = await startKiosk(fx.stack, { batteryLevels: ONLY_BAY_1_RENTABLE });
    try {
      const { first, second, returnSecond } = await rentOnePowerBankTwice(fx.stack, kiosk, fx.pkg.hour); // the first's power bank is out again
      const [{ event_id: eventId }] = await sql(fx.stack, `select event_id from power_bank_returns where rental_id = ?`, [first.id]);
      const check = createRentalActivities({ orm: fx.stack.orm }).stationHoldsPowerBank;
      const asked = { stationSn: kiosk.sn, powerBankSn: first.power_bank_sn };
      expect(await check({ ...asked, rentalId: first.id, eventId })).toBe(true);
      expect(await check({ ...asked, rentalId: first.id, eventId: 'never-recorded' })).toBe(false);
      expect(await check({ ...asked, rentalId: second.id, eventId })).toBe(false);
      await returnSecond();
    } finally {
      await kiosk.stop();
    }
  });

  it('when a return signal names a station that does not hold the power bank, then the rental workflow ignores it', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    const elsewhere = await createTestStation(fx.stack.orm);
    const handle = fx.stack.temporal.workflow.getHandle(rentalWorkflowId(rental.id));
    await handle.signal(returnedSignal, { eventId: 'not-held', stationSn: elsewhere, slot: 8, powerBankSn: rental.power_bank_sn, reportedAt: Date.now() });
    // Another power bank than the rental's, from the station that does hold that one.
    await handle.signal(returnedSignal, { eventId: 'other-pb', stationSn: fx.sim.sn, slot: 4, powerBankSn: `PB-${fx.sim.sn}-4`, reportedAt: Date.now() });
    await eventually(async () => (await signalsOf(rental.id, 'returned')) === 2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await rentalStatus(rental.id)).toBe('active');
    expect((await handle.query('status')) as { phase: string }).toMatchObject({ phase: 'active' });
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
  });
});

/** A kiosk played by hand: online, and it acks every eject claiming bay 1 released someone else's power bank. */
async function playKioskThatLies(kiosk: MqttClient, sn: string, prefix: string) {
  kiosk.on('message', (_t, payload) => {
    const cmd = JSON.parse(payload.toString()) as { id: string };
    void kiosk.publishAsync(topic('kiosk', sn, 'ack', prefix), JSON.stringify({ id: cmd.id, ok: true, slot: 1, powerBankSn: 'PB-SOMEONE-ELSES' }), { qos: 1 });
  });
  await kiosk.subscribeAsync(topic('kiosk', sn, 'cmd', prefix), { qos: 1 });
  await kiosk.publishAsync(topic('kiosk', sn, 'status', prefix), JSON.stringify({ online: true }), { qos: 1, retain: true });
}
