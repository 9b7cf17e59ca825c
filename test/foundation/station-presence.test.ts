import { demoSlots } from '../../src/modules/stations/rules/demo';
import { topic } from '../../src/kernel/devices/protocol';
import { spawnTsx, type TsxChild } from '../support/processes';
import { connectAsDevice, connectAsService } from '../support/devices';
import { useTestStack } from '../support/fixtures';
import { createTestStation, eventually } from '../support/stack';

/**
 * Online/offline kept in the database by the MQTT bridge: the simulator runs as its own process
 * (`npm run sim -- --sn <SN>`) so killing it is a real crash whose last will the broker publishes.
 */
describe('station presence through the bridge', () => {
  let sim: TsxChild | undefined;
  const fx = useTestStack({ worker: false }, async ({ stack }, s) => {
    s.defer(() => sim?.stop('SIGKILL'));
    return { sn: await createTestStation(stack.orm, { online: false }) };
  });

  /** The kiosk's MQTT keepalive: long, so only a closed socket (not a missed keepalive) can make the broker send its will within a test. */
  const KEEPALIVE_SECONDS = 600;
  const startSim = async () => {
    sim = spawnTsx('src/sim/cli.ts', [
      '--sn',
      fx.sn,
      '--heartbeat',
      '1000',
      '--broker',
      fx.stack.config.MQTT_URL,
      '--prefix',
      fx.stack.config.MQTT_TOPIC_PREFIX,
      '--keepalive',
      String(KEEPALIVE_SECONDS),
    ]);
    await sim.waitFor(/simulator: 1 kiosks online/);
  };
  const sql = (q: string, params: unknown[] = []) => fx.stack.orm.em.fork().getConnection().execute(q, params);
  const station = async (serial = fx.sn) => {
    const [row] = await sql('select online, last_seen_at from stations where sn = ?', [serial]);
    return { online: row.online as boolean, lastSeen: new Date(row.last_seen_at).getTime() };
  };
  const isOnline = async () => (await station()).online;
  /** What a client connecting now learns from the broker: the retained status of the kiosk. */
  const retainedStatus = async () => {
    // Read as the bridge does (a device may read only its own cmd).
    const client = await connectAsService(fx.stack, 'bridge');
    let timer: NodeJS.Timeout | undefined;
    try {
      const got = new Promise<Record<string, unknown> | undefined>((resolve) => {
        client.on('message', (_t, p) => resolve(JSON.parse(p.toString())));
        timer = setTimeout(() => resolve(undefined), 2_000);
      });
      await client.subscribeAsync(topic('kiosk', fx.sn, 'status', fx.stack.config.MQTT_TOPIC_PREFIX), { qos: 1 });
      return await got;
    } finally {
      clearTimeout(timer);
      await client.endAsync();
    }
  };

  it('when the simulator starts, then its station turns online in the database', async () => {
    expect(await isOnline()).toBe(false);
    await startSim();
    await eventually(isOnline, 5_000);
  });

  it('when heartbeats arrive, then slot battery levels and last seen are updated', async () => {
    await sql(`update slots set battery_level = 1 where station_id = (select id from stations where sn = ?)`, [fx.sn]);
    const before = (await station()).lastSeen;
    const expected = demoSlots(fx.sn).map((s) => ({ index: s.index, power_bank_sn: s.powerBankSn, battery_level: s.batteryLevel }));
    // The simulator heartbeats every second; the next one rewrites every slot.
    await eventually(async () => {
      const rows = await sql(
        `select s.index, s.power_bank_sn, s.battery_level from slots s join stations st on st.id = s.station_id where st.sn = ? order by s.index`,
        [fx.sn],
      );
      return JSON.stringify(rows) === JSON.stringify(expected);
    }, 4_000);
    expect(expected.filter((s) => s.battery_level !== null && s.battery_level !== 90).length).toBeGreaterThan(0); // differs from the seeded 90
    await eventually(async () => (await station()).lastSeen > before, 3_000);
  });

  it('when the simulator process is killed, then the last will marks the station offline within seconds', async () => {
    expect(await isOnline()).toBe(true);
    expect(await retainedStatus()).toMatchObject({ online: true });
    expect(await sim!.stop('SIGKILL')).toBe('SIGKILL');
    // The keepalive is 10 minutes: the broker can only have sent the will because the socket closed.
    await eventually(async () => !(await isOnline()), 5_000, 50);
    // The will is retained, so a bridge that connects later learns the kiosk is offline too.
    expect(await retainedStatus()).toEqual({ online: false });
  });

  it('when the simulator is restarted, then the station is online again', async () => {
    await startSim();
    await eventually(isOnline, 5_000);
  });

  it('when the simulator shuts down cleanly, then it reports itself offline', async () => {
    expect(await sim!.stop('SIGTERM')).toBe(0);
    await eventually(async () => !(await isOnline()), 5_000, 50);
  });

  it('when a station has been silent past the heartbeat timeout, then the sweep marks it offline and leaves fresh ones', async () => {
    const stale = await createTestStation(fx.stack.orm, { online: false, slots: 1 });
    const fresh = await createTestStation(fx.stack.orm, { online: false, slots: 1 });
    // The test bridge sweeps only stations it heard from: each kiosk says it is online once.
    for (const sn of [stale, fresh]) {
      const client = await connectAsDevice(fx.stack, sn);
      try {
        await client.publishAsync(topic('kiosk', sn, 'status', fx.stack.config.MQTT_TOPIC_PREFIX), JSON.stringify({ online: true }), { qos: 1 });
      } finally {
        await client.endAsync();
      }
    }
    await eventually(async () => (await station(stale)).online && (await station(fresh)).online);
    await sql(`update stations set last_seen_at = now() - interval '2 days' where sn = ?`, [stale]);
    await fx.stack.bridge!.markSilentStationsOffline(24 * 3600_000);
    expect((await station(stale)).online).toBe(false);
    expect((await station(fresh)).online).toBe(true);
  });
});
