import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import request from 'supertest';
import { startMosquitto } from '../../src/infra/mosquitto';
import type { BrokerHandle } from '../../src/infra/mqtt-broker';
import { bridgeSubscriptions, MqttBridge } from '../../src/integrations/mqtt/bridge';
import { topic } from '../../src/integrations/mqtt/topics';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { demoSlots } from '../../src/domain/stations/demo';
import { adminToken, createTestStation, eventually, startTestStack, type TestStack } from '../support/stack';

/** Two bridges in one `$share` group on mosquitto: the device traffic is split, none of it is lost or doubled. */
describe('several MQTT bridges sharing the device traffic (mosquitto $share)', () => {
  let broker: BrokerHandle;
  let stack: TestStack;
  let bridges: MqttBridge[] = [];
  let sim: KioskSimulator;
  let device: MqttClient;
  const group = `bridges-${randomUUID().slice(0, 8)}`;

  const total = (channel: string) => bridges.reduce((n, b) => n + (b.stats()[channel] ?? 0), 0);
  const remoteEject = async (slot: number) => request(stack.baseUrl).post(`/api/admin/stations/${sim.sn}/remote-command`)
    .set('Authorization', `Bearer ${await adminToken(stack)}`).send({ command: 'eject', slot });

  beforeAll(async () => {
    broker = await startMosquitto();
    stack = await startTestStack({ env: { MQTT_URL: broker.url }, bridge: false });
    bridges = ['a', 'b'].map((x) => new MqttBridge({ mqttUrl: broker.url, orm: stack.orm, temporal: stack.temporal, clientId: `bridge-${x}-${group}`, shareGroup: group }));
    for (const b of bridges) await b.start();
    const sn = await createTestStation(stack.orm);
    sim = new KioskSimulator({ brokerUrl: broker.url, sn, slots: demoSlots(sn), ejectDelayMs: 50, heartbeatMs: 600_000 });
    await sim.start();
    await eventually(async () => total('heartbeat') >= 1); // the kiosk's own first heartbeat is in
    device = await mqtt.connectAsync(broker.url, { clientId: `device-${group}` });
  });
  afterAll(async () => {
    await device?.endAsync();
    await sim?.stop();
    for (const b of bridges) await b.stop();
    await stack?.close();
    await broker?.stop();
  });

  it('when a group is configured, then acks, events and heartbeats are shared and status is read by every bridge', () => {
    expect(bridgeSubscriptions(group)).toEqual([`$share/${group}/+/+/ack`, `$share/${group}/+/+/event`, `$share/${group}/+/+/heartbeat`, '+/+/status']);
    expect(bridgeSubscriptions()).toEqual(['+/+/ack', '+/+/event', '+/+/heartbeat', '+/+/status']);
  });

  it('when 40 heartbeats arrive, then each is handled by exactly one bridge and both bridges take a share', async () => {
    const before = total('heartbeat');
    for (let i = 0; i < 40; i++) {
      await device.publishAsync(topic('kiosk', sim.sn, 'heartbeat'), JSON.stringify({ ts: Date.now(), slots: [{ index: 8, powerBankSn: null, batteryLevel: null }] }), { qos: 1 });
    }
    await eventually(async () => total('heartbeat') - before >= 40, 10_000);
    await new Promise((r) => setTimeout(r, 300)); // a doubled delivery would show up now
    expect(total('heartbeat') - before).toBe(40);
    expect(bridges.every((b) => (b.stats().heartbeat ?? 0) > 0)).toBe(true);
    // The retained online status reached both.
    expect(bridges.every((b) => (b.stats().status ?? 0) >= 1)).toBe(true);
  });

  it('when remote ejects run through the group, then every ack reaches its workflow once, also after one bridge stops', async () => {
    const acksBefore = total('ack');
    for (const slot of [1, 2, 3]) {
      const res = await remoteEject(slot);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot } });
    }
    expect(total('ack') - acksBefore).toBe(3);

    await bridges[0].stop();
    const res = await remoteEject(4);
    expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot: 4 } });
    const online = await stack.orm.em.fork().getConnection().execute('select online from stations where sn = ?', [sim.sn]);
    expect(online[0].online).toBe(true);
  });
});
