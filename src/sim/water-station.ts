import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { DEV_MQTT_AUTH_SECRET, parseWaterConfig } from '../config';
import { deviceCredentials } from '../kernel/devices/credentials';
import { topic } from '../kernel/devices/protocol';
import { signStationRequest, stationSecret } from '../modules/dispensing';

/**
 * A water station playing one dispense, as the hardware would:
 * `npm run sim:water -- --station STATION001 --ref WS-... --otp 123456 [--flow-lpm 10] [--dry-at 3.5] [--api http://127.0.0.1:3000/water/api]`
 * It connects to the broker as itself and listens on `water/<station>/cmd`, signs
 * `POST /stations/otp/verify` with its credential (derived from WATER_STATION_SECRET), then waits for
 * the backend's `open_valve` command, acks it on `water/<station>/ack`, and reports the flow meter
 * (`water/<station>/event`, `{type:'dispensed', pulses, final}`) every second at the flow rate; the
 * valve closes at the commanded volume. `--dry-at` makes the tank run dry after that many liters
 * (a partial dispense); `--no-ack` never answers the command (the OTP stays usable).
 */
async function main() {
  const { values } = parseArgs({
    options: {
      station: { type: 'string', default: 'STATION001' },
      ref: { type: 'string' },
      otp: { type: 'string' },
      api: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}/water/api` },
      'flow-lpm': { type: 'string', default: '10' },
      'dry-at': { type: 'string' },
      'no-ack': { type: 'boolean', default: false },
      broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      prefix: { type: 'string', default: process.env.MQTT_TOPIC_PREFIX ?? '' },
    },
  });
  if (!values.ref || !values.otp) throw new Error('--ref and --otp are required');
  const station = values.station;
  const creds = deviceCredentials(process.env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET, 'water', station, values.prefix);
  // A device connects as itself: its client id is its username.
  const client = await mqtt.connectAsync(values.broker, { ...creds, clientId: creds.username, reconnectPeriod: 0 });
  const command = nextOpenValve(client, values.ref);
  await client.subscribeAsync(topic('water', station, 'cmd', values.prefix), { qos: 1 });
  const answer = await verify(values.api, station, values.ref, values.otp);
  if (!answer) return void (await client.endAsync(), process.exit(1));
  const cmd = await command;
  if (values['no-ack']) return void (console.log(`open_valve ${cmd.id} left unanswered`), await client.endAsync());
  await client.publishAsync(topic('water', station, 'ack', values.prefix), JSON.stringify({ id: cmd.id, ok: true }), { qos: 1 });
  console.log(`valve open for ${cmd.pulses} pulses`);
  const ppl = Math.round(answer.pulses / answer.liters);
  await dispense(client, {
    station,
    ref: values.ref,
    prefix: values.prefix,
    pulses: cmd.pulses,
    ppl,
    flowLpm: Number(values['flow-lpm']),
    dryAtLiters: values['dry-at'],
  });
  await client.endAsync();
}

/** The station's signed verify; the answer's liters and pulses, or undefined when refused. */
async function verify(api: string, station: string, ref: string, otp: string) {
  const secret = process.env.WATER_STATION_KEY ?? stationSecret(parseWaterConfig(process.env).WATER_STATION_SECRET, station);
  const body = JSON.stringify({ transactionReference: ref, otp, stationId: station });
  const url = new URL(`${api}/stations/otp/verify`);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signStationRequest(secret, station, 'POST', url.pathname, body) },
    body,
  });
  const answer = (await res.json()) as { success: boolean; message: string; data?: { pulses: number; liters: number } };
  console.log(`verify ${res.status}: ${answer.message}`);
  return answer.success ? answer.data : undefined;
}

/** The backend's `open_valve` for this transaction (it comes after the verify), within 60 s. */
function nextOpenValve(client: mqtt.MqttClient, ref: string): Promise<{ id: string; pulses: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no open_valve command within 60 s')), 60_000);
    client.on('message', (_t, payload) => {
      const cmd = JSON.parse(payload.toString()) as { id: string; type: string; transactionReference?: string; pulses: number };
      if (cmd.type !== 'open_valve' || cmd.transactionReference !== ref) return;
      clearTimeout(timer);
      resolve(cmd);
    });
  });
}

/** The flow meter: a report a second at the flow rate until the commanded pulses (valve closes) or a dry tank. */
async function dispense(
  client: mqtt.MqttClient,
  o: { station: string; ref: string; prefix: string; pulses: number; ppl: number; flowLpm: number; dryAtLiters?: string },
) {
  const dryAt = o.dryAtLiters ? Math.round(Number(o.dryAtLiters) * o.ppl) : Infinity;
  const perSecond = Math.round((o.flowLpm * o.ppl) / 60);
  const publish = (p: number, final: boolean, reason?: string) =>
    client.publishAsync(
      topic('water', o.station, 'event', o.prefix),
      JSON.stringify({ type: 'dispensed', transactionReference: o.ref, pulses: p, final, reason }),
      {
        qos: 1,
      },
    );
  // The tank level goes with the heartbeat (water_stations.tank_level_percent).
  await client.publishAsync(
    topic('water', o.station, 'heartbeat', o.prefix),
    JSON.stringify({ tankLevelPercent: dryAt === Infinity ? 80 : 5, ts: Date.now() }),
    { qos: 1 },
  );
  let delivered = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    delivered = Math.min(delivered + perSecond, o.pulses, dryAt);
    const done = delivered >= o.pulses;
    const dry = !done && delivered >= dryAt;
    await publish(delivered, done || dry, dry ? 'tank_empty' : undefined);
    console.log(`${(delivered / o.ppl).toFixed(2)} L${dry ? ' (tank empty)' : done ? ' (valve closed)' : ''}`);
    if (done || dry) break;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
