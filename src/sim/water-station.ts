import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { DEV_MQTT_AUTH_SECRET, parseWaterConfig } from '../config';
import { deviceCredentials } from '../kernel/devices/credentials';
import { topic } from '../kernel/devices/protocol';
import { signStationRequest, stationSecret } from '../modules/dispensing';

/**
 * A water station playing one dispense, as the hardware would:
 * `npm run sim:water -- --station STATION001 --ref WS-... --otp 123456 [--flow-lpm 10] [--dry-at 3.5] [--api http://127.0.0.1:3000/water/api]`
 * It signs `POST /stations/otp/verify` with its credential (derived from WATER_STATION_SECRET),
 * opens its valve for the pulses it is given and reports the flow meter over MQTT
 * (`water/<station>/event`, `{type:'dispensed', pulses, final}`) every second at the flow rate;
 * `--dry-at` makes the tank run dry after that many liters (a partial dispense).
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
      broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      prefix: { type: 'string', default: process.env.MQTT_TOPIC_PREFIX ?? '' },
    },
  });
  if (!values.ref || !values.otp) throw new Error('--ref and --otp are required');
  const station = values.station;
  const secret = stationSecret(parseWaterConfig(process.env).WATER_STATION_SECRET, station);
  const body = JSON.stringify({ transactionReference: values.ref, otp: values.otp, stationId: station });
  const url = new URL(`${values.api}/stations/otp/verify`);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signStationRequest(secret, station, 'POST', url.pathname, body) },
    body,
  });
  const answer = (await res.json()) as { success: boolean; message: string; data?: { pulses: number; liters: number } };
  console.log(`verify ${res.status}: ${answer.message}`);
  if (!answer.success || !answer.data) process.exit(1);
  const { pulses } = answer.data;
  const ppl = Math.round(pulses / answer.data.liters);
  const dryAt = values['dry-at'] ? Math.round(Number(values['dry-at']) * ppl) : Infinity;
  const perSecond = Math.round((Number(values['flow-lpm']) * ppl) / 60);
  const creds = deviceCredentials(process.env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET, 'water', station, values.prefix);
  // A device connects as itself: its client id is its username.
  const client = await mqtt.connectAsync(values.broker, { ...creds, clientId: creds.username, reconnectPeriod: 0 });
  const publish = (p: number, final: boolean, reason?: string) =>
    client.publishAsync(
      topic('water', station, 'event', values.prefix),
      JSON.stringify({ type: 'dispensed', transactionReference: values.ref, pulses: p, final, reason }),
      { qos: 1 },
    );
  // The tank level goes with the heartbeat (water_stations.tank_level_percent).
  await client.publishAsync(
    topic('water', station, 'heartbeat', values.prefix),
    JSON.stringify({ tankLevelPercent: dryAt === Infinity ? 80 : 5, ts: Date.now() }),
    { qos: 1 },
  );
  let delivered = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    delivered = Math.min(delivered + perSecond, pulses, dryAt);
    const done = delivered >= pulses;
    const dry = !done && delivered >= dryAt;
    await publish(delivered, done || dry, dry ? 'tank_empty' : undefined);
    console.log(`${(delivered / ppl).toFixed(2)} L${dry ? ' (tank empty)' : ''}`);
    if (done || dry) break;
  }
  await client.endAsync();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
