import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { startMosquitto } from '../../src/infra/mosquitto';
import { topic } from '../../src/kernel/devices/protocol';
import { spawnTsx, type TsxChild } from '../support/processes';
import { stackIn, useFixture, withApi } from '../support/fixtures';
import { connectAsDevice, connectAsService } from '../support/devices';
import { adminToken, createTestStation, eventually } from '../support/stack';

/**
 * The same device protocol against a second, independent broker: Debian's mosquitto 2, configured
 * as docker-compose.yml's (password file and ACL file from src/kernel/devices/credentials.ts; the
 * services on the plain listener, the kiosks on TLS with their username as client id).
 */
describe('the hardware protocol on mosquitto', () => {
  let sim: TsxChild | undefined;
  const fx = useFixture(async (s) => {
    const secret = process.env.MQTT_AUTH_SECRET!;
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const [sn, other] = [0, 1].map(() => `T${randomUUID().slice(0, 8).toUpperCase()}`);
    const devices = [sn, other].map((x) => ({ kind: 'kiosk' as const, sn: x }));
    const broker = await s.use(startMosquitto({ authSecret: secret, topicPrefix: prefix, devices }), (b) => b.stop());
    const stack = await stackIn(s, { env: { MQTT_URL: broker.url, MQTT_TOPIC_PREFIX: prefix } });
    s.defer(() => sim?.stop('SIGKILL'));
    for (const x of [sn, other]) await createTestStation(stack.orm, { sn: x });
    return { broker, ...withApi(stack), sn, other };
  });

  const online = async () => (await fx.stack.orm.em.fork().getConnection().execute('select online from stations where sn = ?', [fx.sn]))[0]?.online as boolean;

  it('when a simulator connects over TLS with its own credentials, then its station comes online and answers an eject', async () => {
    sim = spawnTsx('src/sim/cli.ts', [
      '--sn',
      fx.sn,
      '--heartbeat',
      '1000',
      '--eject-delay',
      '200',
      '--broker',
      fx.broker.deviceUrl!,
      '--ca',
      fx.broker.caFile!,
      '--prefix',
      fx.stack.config.MQTT_TOPIC_PREFIX,
    ]);
    await sim.waitFor(/kiosks online/);
    await eventually(online, 10_000);
    const res = await fx
      .api()
      .post(`/api/admin/stations/${fx.sn}/remote-command`)
      .set('Authorization', `Bearer ${await adminToken(fx.stack.config)}`)
      .send({ command: 'eject', slot: 3 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot: 3, powerBankSn: `PB-${fx.sn}-3` } });
  });

  it('when a client brings a wrong password, no credentials, or no trust in the TLS certificate, then mosquitto refuses it', async () => {
    const tls = { ca: fx.broker.ca, reconnectPeriod: 0, connectTimeout: 5_000 };
    const username = `${fx.stack.config.MQTT_TOPIC_PREFIX}/kiosk/${fx.sn}`;
    await expect(mqtt.connectAsync(fx.broker.deviceUrl!, { ...tls, username, password: 'guessed' })).rejects.toThrow(/Not authorized/);
    await expect(mqtt.connectAsync(fx.broker.deviceUrl!, { ...tls })).rejects.toThrow(/Not authorized/);
    await expect(mqtt.connectAsync(fx.broker.url, { reconnectPeriod: 0, username: 'stationflow-bridge', password: 'guessed' })).rejects.toThrow(
      /Not authorized/,
    );
    await expect(connectAsDevice(fx.stack, fx.other, { url: fx.broker.deviceUrl, connectTimeout: 5_000 })).rejects.toThrow(/self-signed/);
  });

  it("when a kiosk publishes on another station's topics or subscribes to its commands, then mosquitto delivers none of it", async () => {
    const prefix = fx.stack.config.MQTT_TOPIC_PREFIX;
    const intruder = await connectAsDevice(fx.stack, fx.other, { url: fx.broker.deviceUrl, ca: fx.broker.ca });
    const reader = await connectAsService(fx.stack, 'bridge');
    const commander = await connectAsService(fx.stack, 'api');
    try {
      const heard: string[] = [];
      reader.on('message', (t, p) => heard.push(`${t} ${p.toString()}`));
      await reader.subscribeAsync(`${prefix}/kiosk/+/event`, { qos: 1 });
      const commands: string[] = [];
      intruder.on('message', (t) => commands.push(t));
      await intruder.subscribeAsync([topic('kiosk', fx.sn, 'cmd', prefix), topic('kiosk', fx.other, 'cmd', prefix)], { qos: 1 });

      await intruder.publishAsync(topic('kiosk', fx.sn, 'event', prefix), JSON.stringify({ type: 'probe', n: 'forged' }), { qos: 1 });
      await commander.publishAsync(topic('kiosk', fx.sn, 'cmd', prefix), JSON.stringify({ id: 'x#1', type: 'probe' }), { qos: 1 });
      // Then the kiosk's own event and its own command: once those arrived, the ones before would have.
      await intruder.publishAsync(topic('kiosk', fx.other, 'event', prefix), JSON.stringify({ type: 'probe', n: 'own' }), { qos: 1 });
      await commander.publishAsync(topic('kiosk', fx.other, 'cmd', prefix), JSON.stringify({ id: 'x#2', type: 'probe' }), { qos: 1 });
      await eventually(async () => heard.length >= 1 && commands.length >= 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([`${topic('kiosk', fx.other, 'event', prefix)} {"type":"probe","n":"own"}`]);
      expect(commands).toEqual([topic('kiosk', fx.other, 'cmd', prefix)]);
    } finally {
      await Promise.all([intruder.endAsync(), reader.endAsync(), commander.endAsync()]);
    }
  });

  it('when the simulator dies, then mosquitto publishes its last will and the station goes offline', async () => {
    await sim!.stop('SIGKILL');
    await eventually(async () => (await online()) === false, 15_000);
  });
});
