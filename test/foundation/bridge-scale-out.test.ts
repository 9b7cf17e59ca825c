import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startMosquitto } from '../../src/infra/mosquitto';
import { bridgeSubscriptions, MqttBridge } from '../../src/workers/mqtt-bridge/bridge';
import { topic } from '../../src/kernel/devices/protocol';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { demoSlots } from '../../src/modules/stations/rules/demo';
import { stackIn, useFixture } from '../support/fixtures';
import { connectAsDevice } from '../support/devices';
import { serviceCredentials } from '../../src/kernel/devices/credentials';
import { adminToken, createTestStation, eventually } from '../support/stack';

/** Two bridges in one `$share` group on mosquitto: the device traffic is split, none of it is lost or doubled. */
describe('several MQTT bridges sharing the device traffic (mosquitto $share)', () => {
  const group = `bridges-${randomUUID().slice(0, 8)}`;
  const fx = useFixture(async (scope) => {
    // mosquitto as docker-compose.yml runs it: every client authenticates and keeps to its ACL.
    const secret = process.env.MQTT_AUTH_SECRET!;
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const sn = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const broker = await scope.use(startMosquitto({ authSecret: secret, topicPrefix: prefix, devices: [{ kind: 'kiosk', sn }], persistent: true }), (b) =>
      b.stop(),
    );
    const stack = await stackIn(scope, { env: { MQTT_URL: broker.url, MQTT_TOPIC_PREFIX: prefix }, bridge: false });
    const bridges: MqttBridge[] = [];
    for (const x of ['a', 'b']) {
      const bridge = new MqttBridge({
        mqttUrl: broker.url,
        orm: stack.orm,
        temporal: stack.temporal,
        clientId: `stationflow-bridge-${x}-${group}`,
        credentials: serviceCredentials(secret, 'bridge'),
        shareGroup: group,
        topicPrefix: stack.config.MQTT_TOPIC_PREFIX,
        sweepScope: 'heard',
      });
      bridges.push(
        await scope.use(
          bridge.start().then(() => bridge),
          (br) => br.stop(),
        ),
      );
    }
    await createTestStation(stack.orm, { sn });
    const sim = new KioskSimulator({
      authSecret: secret,
      brokerUrl: broker.url,
      topicPrefix: stack.config.MQTT_TOPIC_PREFIX,
      sn,
      slots: demoSlots(sn),
      ejectDelayMs: 50,
      heartbeatMs: 600_000,
    });
    await scope.use(
      sim.start().then(() => sim),
      (k) => k.stop(),
    );
    // The same kiosk's identity on a second connection (the services' listener does not force the client id).
    const device = await scope.use(connectAsDevice(stack, sn, { clientId: `device-${group}` }), (c) => c.endAsync());
    const total = (channel: string) => bridges.reduce((n, br) => n + (br.stats()[channel] ?? 0), 0);
    await eventually(async () => total('heartbeat') >= 1); // the kiosk's own first heartbeat is in
    return { stack, bridges, sim, device, total, broker };
  });

  const remoteEject = async (slot: number) =>
    request(fx.stack.baseUrl)
      .post(`/api/admin/stations/${fx.sim.sn}/remote-command`)
      .set('Authorization', `Bearer ${await adminToken(fx.stack)}`)
      .send({ command: 'eject', slot });

  it('when a group is configured, then acks, events and heartbeats are shared and status is read by every bridge', () => {
    expect(bridgeSubscriptions(group)).toEqual([`$share/${group}/+/+/ack`, `$share/${group}/+/+/event`, `$share/${group}/+/+/heartbeat`, '+/+/status']);
    expect(bridgeSubscriptions()).toEqual(['+/+/ack', '+/+/event', '+/+/heartbeat', '+/+/status']);
    expect(bridgeSubscriptions(group, 'site-a/test')).toEqual([
      `$share/${group}/site-a/test/+/+/ack`,
      `$share/${group}/site-a/test/+/+/event`,
      `$share/${group}/site-a/test/+/+/heartbeat`,
      'site-a/test/+/+/status',
    ]);
  });

  it('when 40 heartbeats arrive, then each is handled by exactly one bridge and both bridges take a share', async () => {
    // The kiosk's online status (published once, at its start) reaches both: status is not shared.
    // Each bridge gets it in its own time (on a loaded machine, after the first heartbeat).
    await eventually(async () => fx.bridges.every((b) => b.stats().status !== undefined), 10_000);
    expect(fx.bridges.map((b) => b.stats().status)).toEqual([1, 1]);
    const before = fx.total('heartbeat');
    const device = (channel: 'heartbeat' | 'status', body: object) =>
      fx.device.publishAsync(topic('kiosk', fx.sim.sn, channel, fx.stack.config.MQTT_TOPIC_PREFIX), JSON.stringify(body), { qos: 1 });
    for (let i = 0; i < 40; i++) await device('heartbeat', { ts: Date.now(), slots: [{ index: 8, powerBankSn: null, batteryLevel: null }] });
    // Then a status from the same device, which every bridge reads: once both have it, every
    // heartbeat sent before it has been delivered (in order, per publisher), doubled ones too.
    await device('status', { online: true });
    await eventually(async () => fx.bridges.every((b) => b.stats().status === 2), 10_000);
    expect(fx.total('heartbeat') - before).toBe(40);
    expect(fx.bridges.every((b) => (b.stats().heartbeat ?? 0) > 0)).toBe(true);
  });

  it('when remote ejects run through the group, then every ack reaches its workflow once, also after one bridge stops', async () => {
    const acksBefore = fx.total('ack');
    for (const slot of [1, 2, 3]) {
      const res = await remoteEject(slot);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot } });
    }
    expect(fx.total('ack') - acksBefore).toBe(3);

    await fx.bridges[0].stop();
    const res = await remoteEject(4);
    expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot: 4 } });
    const online = await fx.stack.orm.em.fork().getConnection().execute('select online from stations where sn = ?', [fx.sim.sn]);
    expect(online[0].online).toBe(true);
  });

  it('when the broker restarts with the sessions it kept, then the device traffic reaches the group again', async () => {
    // Run after the test above: one bridge of the group is stopped, its persistent session kept.
    // Without the bridge's unsubscribe + subscribe after the reconnect, mosquitto 2.0.11 delivered nothing to the group.
    const before = fx.total('heartbeat');
    await fx.broker.restart();
    // The bridge reconnects on its own (1 s period); the device speaks on a new connection.
    const device = await connectAsDevice(fx.stack, fx.sim.sn, { clientId: `device-after-${group}` });
    try {
      await eventually(async () => {
        await device.publishAsync(topic('kiosk', fx.sim.sn, 'heartbeat', fx.stack.config.MQTT_TOPIC_PREFIX), JSON.stringify({ ts: Date.now(), slots: [] }), {
          qos: 1,
        });
        return fx.total('heartbeat') > before;
      }, 15_000);
    } finally {
      await device.endAsync();
    }
    expect(fx.total('heartbeat')).toBeGreaterThan(before);
  });
});
