import { randomUUID } from 'node:crypto';
import { parseTopic, topic } from '../../src/kernel/devices/protocol';
import { MqttBridge } from '../../src/workers/mqtt-bridge/bridge';
import { metricsRegistry } from '../../src/kernel/observability/metrics';
import { serviceCredentials } from '../../src/kernel/devices/credentials';
import { api, createRenter, inventoryOf, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';
import { createTestStation, eventually } from '../support/stack';
import { connectAsDevice } from '../support/devices';

/**
 * Every test file runs its own bridge against the one broker and the one database of the run; the
 * topic prefix of its stack (MQTT_TOPIC_PREFIX) keeps each bridge to its own kiosks' traffic, and
 * its silence sweep to the stations it heard from.
 */
describe('device topics under a prefix', () => {
  it('when a prefix is set, then topics are built under it and only topics under it are parsed', () => {
    expect(topic('kiosk', 'KTM0001', 'cmd')).toBe('kiosk/KTM0001/cmd');
    expect(topic('kiosk', 'KTM0001', 'cmd', 'site-a/x')).toBe('site-a/x/kiosk/KTM0001/cmd');
    expect(parseTopic('site-a/x/kiosk/KTM0001/ack', 'site-a/x')).toEqual({ kind: 'kiosk', sn: 'KTM0001', channel: 'ack' });
    expect(parseTopic('kiosk/KTM0001/ack', 'site-a/x')).toBeUndefined();
    expect(parseTopic('site-b/x/kiosk/KTM0001/ack', 'site-a/x')).toBeUndefined();
    expect(parseTopic('site-a/kiosk/KTM0001/ack', 'site-a/x')).toBeUndefined();
    // Without a prefix, a prefixed topic is not a device topic.
    expect(parseTopic('kiosk/KTM0001/ack')).toEqual({ kind: 'kiosk', sn: 'KTM0001', channel: 'ack' });
    expect(parseTopic('site-a/x/kiosk/KTM0001/ack')).toBeUndefined();
  });
});

describe('device traffic of one stack stays with that stack', () => {
  const fx = useRentalStack({});
  const prefix = () => fx.stack.config.MQTT_TOPIC_PREFIX;
  /** The bridges' failed attempts at an event so far, by outcome (the counter is the process's, shared by every bridge in it). */
  const failures = async (outcome: string) =>
    (await metricsRegistry.getSingleMetric('stationflow_bridge_failures_total')!.get()).values.find(
      (v) => v.labels.outcome === outcome && v.labels.channel === 'event',
    )?.value ?? 0;
  const returnsOf = (powerBankSn: string) => sql(fx.stack, 'select outcome, event_id from power_bank_returns where power_bank_sn = ?', [powerBankSn]);

  it("when a kiosk return is published under another prefix (or none), then this stack's bridge ignores it; under its own prefix it completes the rental", async () => {
    expect(prefix()).toMatch(/^test-/);
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(rental.status).toBe('active');
    const inventoryBefore = await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn);
    const returned = (id: string) => JSON.stringify({ type: 'returned', id, slot: 8, powerBankSn: rental.power_bank_sn, batteryLevel: 50, ts: Date.now() });
    const eventsBefore = fx.stack.bridge!.stats().event ?? 0;

    // The same kiosk serial, under another file's prefix and under none (production's default):
    // each is a device of its own deployment, with its own credentials.
    for (const other of [`test-${randomUUID().slice(0, 8)}`, '']) {
      const device = await connectAsDevice({ config: { ...fx.stack.config, MQTT_TOPIC_PREFIX: other } }, fx.sim.sn);
      await device.publishAsync(topic('kiosk', fx.sim.sn, 'event', other), returned(other ? 'foreign-prefix' : 'no-prefix'), { qos: 1 });
      await device.endAsync();
    }
    // Then (those two delivered already: their PUBACKs are in) an event under this stack's prefix
    // from the kiosk itself, which the bridge does read (a type with no handler: it only marks the
    // kiosk seen). Once the bridge counted this one, it would have counted the two before it.
    await fx.sim.publish('event', { type: 'probe', ts: Date.now() });
    await eventually(async () => (fx.stack.bridge!.stats().event ?? 0) > eventsBefore);
    expect(fx.stack.bridge!.stats().event).toBe(eventsBefore + 1);
    expect(await returnsOf(rental.power_bank_sn)).toEqual([]);
    expect((await sql(fx.stack, 'select status, returned_at from rentals where id = ?', [rental.id]))[0]).toEqual({ status: 'active', returned_at: null });
    expect(await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).toEqual(inventoryBefore);

    // The control: the kiosk's own return, under this stack's prefix.
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
    const rows = await returnsOf(rental.power_bank_sn);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'matched', event_id: expect.stringMatching(new RegExp(`^ret-${fx.sim.sn}-`)) });
  });

  it('when a kiosk sends an event the database can never take, then the bridge acknowledges and drops it (counted) and handles the next message', async () => {
    const [dropped, retried] = [await failures('dropped'), await failures('retried')];
    const eventsBefore = fx.stack.bridge!.stats().event ?? 0;
    // A bay number no integer column holds: PostgreSQL refuses it (22003) however often it is sent.
    await fx.sim.publish('event', { type: 'returned', id: 'bad-bay', slot: 2 ** 40, powerBankSn: `PB-${randomUUID().slice(0, 8)}`, ts: Date.now() });
    // Then an event of a type with no handler. The bridge reads a message only once the one before
    // it is done with (acknowledged): once it has read this one, the bad one was dropped, not retried.
    await fx.sim.publish('event', { type: 'probe', ts: Date.now() });
    await eventually(async () => (fx.stack.bridge!.stats().event ?? 0) === eventsBefore + 2);
    expect(await failures('dropped')).toBe(dropped + 1);
    expect(await failures('retried')).toBe(retried);
    expect(await sql(fx.stack, `select 1 from power_bank_returns where station_sn = ? and event_id = 'bad-bay'`, [fx.sim.sn])).toEqual([]);
  });

  it('when a handler keeps failing with an unknown error, then the bridge parks that message after its bound (counted) and the next ones flow; a transient error is tried until it passes', async () => {
    const [parked, retried] = [await failures('parked'), await failures('retried')];
    // A bridge of its own (its own prefix), parking after 3 tries at once instead of after 8 and 30 s.
    const under = `test-${randomUUID().slice(0, 8)}`;
    const bridge = new MqttBridge({
      mqttUrl: fx.stack.config.MQTT_URL,
      orm: fx.stack.orm,
      temporal: fx.stack.temporal,
      clientId: `stationflow-bridge-park-${randomUUID()}`,
      credentials: serviceCredentials(fx.stack.config.MQTT_AUTH_SECRET, 'bridge'),
      topicPrefix: under,
      sweepScope: 'heard',
      parkAfter: { attempts: 3, ageMs: 0 },
    });
    const handled: string[] = [];
    let refused = 0;
    bridge.on('poison', () => Promise.reject(new Error('a bug in a handler')));
    // The database away for four tries (what node-postgres throws when nothing listens), then back.
    bridge.on('flaky', async (_sn, e) => {
      if (refused < 4) {
        refused += 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      handled.push(String(e.id));
    });
    bridge.on('probe', async (_sn, e) => void handled.push(String(e.id)));
    await bridge.start();
    const sn = `PARK${randomUUID().slice(0, 6)}`;
    const device = await connectAsDevice({ config: { ...fx.stack.config, MQTT_TOPIC_PREFIX: under } }, sn);
    try {
      const send = (body: Record<string, unknown>) =>
        device.publishAsync(topic('kiosk', sn, 'event', under), JSON.stringify({ ...body, ts: Date.now() }), { qos: 1 });
      await send({ type: 'poison', id: 'p1' });
      await send({ type: 'flaky', id: 'f1' });
      await send({ type: 'probe', id: 'n1' });
      await eventually(async () => handled.length === 2, 20_000);
      expect(handled).toEqual(['f1', 'n1']);
      expect(refused).toBe(4);
      expect(await failures('parked')).toBe(parked + 1);
      // The poison twice before it was parked on its third try, the refused connection four times.
      expect(await failures('retried')).toBe(retried + 2 + 4);
    } finally {
      await device.endAsync();
      await bridge.stop();
    }
  });

  it("when stations fall silent, then a bridge marks offline only the stations it heard from, never another file's", async () => {
    // Another file's bridge: its own prefix, the same database. (Its own periodic sweep looks for 3
    // days of silence, so only the explicit sweeps below act on the 2 days set here.)
    const otherPrefix = `test-${randomUUID().slice(0, 8)}`;
    const other = new MqttBridge({
      mqttUrl: fx.stack.config.MQTT_URL,
      orm: fx.stack.orm,
      temporal: fx.stack.temporal,
      clientId: `stationflow-bridge-isolation-other-${randomUUID()}`,
      credentials: serviceCredentials(fx.stack.config.MQTT_AUTH_SECRET, 'bridge'),
      topicPrefix: otherPrefix,
      sweepScope: 'heard',
      heartbeatTimeoutMs: 3 * 24 * 3600_000,
    });
    await other.start();
    try {
      const ours = await createTestStation(fx.stack.orm, { online: false, slots: 1 });
      const theirs = await createTestStation(fx.stack.orm, { online: false, slots: 1 });
      const announce = async (sn: string, under: string) => {
        const device = await connectAsDevice({ config: { ...fx.stack.config, MQTT_TOPIC_PREFIX: under } }, sn);
        await device.publishAsync(topic('kiosk', sn, 'status', under), JSON.stringify({ online: true }), { qos: 1 });
        await device.endAsync();
      };
      await announce(ours, prefix());
      await announce(theirs, otherPrefix);
      const station = async (sn: string) => (await sql(fx.stack, 'select online from stations where sn = ?', [sn]))[0].online as boolean;
      await eventually(async () => (await station(ours)) && (await station(theirs)));
      // Both silent for two days.
      await sql(fx.stack, `update stations set last_seen_at = now() - interval '2 days' where sn in (?, ?)`, [ours, theirs]);

      await fx.stack.bridge!.markSilentStationsOffline(24 * 3600_000);
      expect({ ours: await station(ours), theirs: await station(theirs) }).toEqual({ ours: false, theirs: true });
      await other.markSilentStationsOffline(24 * 3600_000);
      expect({ ours: await station(ours), theirs: await station(theirs) }).toEqual({ ours: false, theirs: false });
    } finally {
      await other.stop();
    }
  });
});
