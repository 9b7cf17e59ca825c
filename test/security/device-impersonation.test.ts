import mqtt, { type MqttClient } from 'mqtt';
import { topic } from '../../src/kernel/devices/protocol';
import { mqttPassword } from '../../src/kernel/devices/credentials';
import { connectAsDevice, connectAsService } from '../support/devices';
import { adminToken, createTestStation, eventually } from '../support/stack';
import { api, createRenter, inventoryOf, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';

/**
 * Issue 10, item 1: every client of the broker (here the run's aedes broker, as `npm run dev` runs
 * it) authenticates with its own identity and touches only its own topics.
 */
describe('security: a device cannot pass for another one on the broker', () => {
  const fx = useRentalStack();
  const prefix = () => fx.stack.config.MQTT_TOPIC_PREFIX;
  const closed = (c: MqttClient) => new Promise<boolean>((resolve) => (c.connected ? c.once('close', () => resolve(true)) : resolve(true)));

  it('when a client brings a wrong password, another device`s password, no credentials or a client id not its own, then the broker refuses the connection', async () => {
    const other = await createTestStation(fx.stack.orm);
    const url = fx.stack.config.MQTT_URL;
    const own = `${prefix()}/kiosk/${other}`;
    const opts = { reconnectPeriod: 0, connectTimeout: 5_000 };
    await expect(mqtt.connectAsync(url, { ...opts, clientId: own, username: own, password: 'guessed' })).rejects.toThrow(/Bad username or password/);
    const victim = `${prefix()}/kiosk/${fx.sim.sn}`;
    const othersPassword = mqttPassword(fx.stack.config.MQTT_AUTH_SECRET, own);
    await expect(mqtt.connectAsync(url, { ...opts, clientId: victim, username: victim, password: othersPassword })).rejects.toThrow(/Bad username or password/);
    await expect(mqtt.connectAsync(url, { ...opts, clientId: `anon-${other}` })).rejects.toThrow(/Bad username or password/);
    // The right password, but another client id: the kiosk may not take the bridge's session (or any other).
    await expect(connectAsDevice(fx.stack, other, { clientId: 'stationflow-bridge-takeover' })).rejects.toThrow(/Not authorized/);
    await expect(connectAsDevice(fx.stack, other, { clientId: `${prefix()}/kiosk/${fx.sim.sn}` })).rejects.toThrow(/Not authorized/);
    // The bridge's own identity with a client id outside its namespace is refused too.
    await expect(connectAsService(fx.stack, 'bridge', { clientId: 'somebody-else' })).rejects.toThrow(/Not authorized/);
    // And its own credentials work.
    const ok = await connectAsDevice(fx.stack, other);
    expect(ok.connected).toBe(true);
    await ok.endAsync();
  });

  it("when a kiosk publishes a return on another station's topic, then the broker cuts it off and nothing is recorded or moved", async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(rental.status).toBe('active');
    const before = await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn);
    const intruderSn = await createTestStation(fx.stack.orm);
    const intruder = await connectAsDevice(fx.stack, intruderSn);
    const gone = closed(intruder);
    const forged = { type: 'returned', id: 'forged-1', slot: 8, powerBankSn: rental.power_bank_sn, batteryLevel: 50, ts: Date.now() };
    intruder.publish(topic('kiosk', fx.sim.sn, 'event', prefix()), JSON.stringify(forged), { qos: 1 });
    expect(await gone).toBe(true);
    // The kiosk's own report after it: once the bridge has that one, it would have had the forged one.
    const events = fx.stack.bridge!.stats().event ?? 0;
    await fx.sim.publish('event', { type: 'probe', ts: Date.now() });
    await eventually(async () => (fx.stack.bridge!.stats().event ?? 0) > events);
    expect(await sql(fx.stack, 'select event_id from power_bank_returns where power_bank_sn = ?', [rental.power_bank_sn])).toEqual([]);
    expect((await sql(fx.stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');
    expect(await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).toEqual(before);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await rentalInStatus(fx.stack, rental.id, ['completed']);
  });

  it("when a kiosk subscribes to another station's commands, then it is refused and hears none of them", async () => {
    const intruder = await connectAsDevice(fx.stack, await createTestStation(fx.stack.orm));
    try {
      const heard: string[] = [];
      intruder.on('message', (t) => heard.push(t));
      for (const filter of [topic('kiosk', fx.sim.sn, 'cmd', prefix()), `${prefix()}/+/+/cmd`, `${prefix()}/kiosk/+/ack`, '#'])
        await expect(intruder.subscribeAsync(filter, { qos: 1 })).rejects.toThrow(/Subscribe error/); // SUBACK 0x80
      const res = await api(fx.stack, await adminToken(fx.stack))
        .post(`/admin/stations/${fx.sim.sn}/remote-command`, { command: 'unlock' })
        .expect(200);
      expect(res.body.data).toMatchObject({ status: 'acked' });
      expect(heard).toEqual([]);
      expect(intruder.connected).toBe(true);
    } finally {
      await intruder.endAsync();
    }
  });

  it('when a service identity steps outside its role (the bridge publishing a command, the API reading device traffic), then the broker refuses it', async () => {
    const bridge = await connectAsService(fx.stack, 'bridge');
    const gone = closed(bridge);
    bridge.publish(topic('kiosk', fx.sim.sn, 'cmd', prefix()), JSON.stringify({ id: 'x#1', type: 'eject', slot: 1 }), { qos: 1 });
    expect(await gone).toBe(true);
    const apiClient = await connectAsService(fx.stack, 'api');
    try {
      await expect(apiClient.subscribeAsync(`${prefix()}/+/+/event`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    } finally {
      await apiClient.endAsync();
    }
  });
});
