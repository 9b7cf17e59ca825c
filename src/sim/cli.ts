import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { DEV_MQTT_AUTH_SECRET, mqttTopicPrefixSchema } from '../config';
import { demoSlots, demoStations } from '../modules/stations';
import { KioskSimulator, type SimMode } from './kiosk-simulator';
import { BatterySimulator } from './battery-simulator';

/**
 * `npm run sim -- --stations 12 [--mode normal|fail|silent|drop-ack] [--eject-delay 800] [--heartbeat 30000] [--sn KTM0001,...] [--prefix <topic prefix>] [--keepalive 5] [--auth-secret <MQTT_AUTH_SECRET>] [--ca <pem>] [--state-dir <folder>]`
 * Each kiosk connects as itself: its credentials derive from the auth secret (default MQTT_AUTH_SECRET, else the development key).
 * Plays the demo kiosks against MQTT_URL (default mqtt://127.0.0.1:1883), under the topic prefix
 * (default MQTT_TOPIC_PREFIX, else none) the backend reads.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      stations: { type: 'string', default: '12' },
      sn: { type: 'string' },
      mode: { type: 'string', default: 'normal' },
      'eject-delay': { type: 'string', default: '800' },
      heartbeat: { type: 'string', default: '30000' },
      keepalive: { type: 'string', default: '5' },
      broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      prefix: { type: 'string', default: process.env.MQTT_TOPIC_PREFIX ?? '' },
      'auth-secret': { type: 'string', default: process.env.MQTT_AUTH_SECRET ?? DEV_MQTT_AUTH_SECRET },
      ca: { type: 'string' },
      // A folder of kiosk state files (one per kiosk): the bays survive a restart of the simulator.
      'state-dir': { type: 'string', default: process.env.SIM_STATE_DIR },
      // Leased batteries of the fleet product (seed 004): `--batteries BAT001,BAT002`.
      batteries: { type: 'string' },
    },
  });
  const prefix = mqttTopicPrefixSchema.safeParse(values.prefix);
  if (!prefix.success) throw new Error(`--prefix "${values.prefix}": ${prefix.error.issues[0].message}`);
  // Named kiosks get the demo bay layout; otherwise the first N demo stations.
  const stations = values.sn ? values.sn.split(',').map((sn) => ({ sn, slots: demoSlots(sn) })) : demoStations(Math.max(Number(values.stations), 1));
  const sims = stations.map(
    (s) =>
      new KioskSimulator({
        brokerUrl: values.broker!,
        sn: s.sn,
        slots: s.slots,
        mode: values.mode as SimMode,
        ejectDelayMs: Number(values['eject-delay']),
        heartbeatMs: Number(values.heartbeat),
        keepaliveSeconds: Number(values.keepalive),
        topicPrefix: prefix.data,
        authSecret: values['auth-secret'],
        ca: values.ca ? fs.readFileSync(values.ca) : undefined,
        stateDir: values['state-dir'],
        log: (msg) => process.stderr.write(`kiosk ${s.sn}: ${msg}\n`),
      }),
  );
  const batteries = (values.batteries ? values.batteries.split(',') : []).map(
    (serial) =>
      new BatterySimulator({
        brokerUrl: values.broker!,
        serial,
        authSecret: values['auth-secret']!,
        topicPrefix: prefix.data,
        heartbeatMs: Number(values.heartbeat),
      }),
  );
  // Handlers before the ready line: a supervisor (or a test) may signal as soon as it reads that line.
  const stop = async () => {
    await Promise.allSettled([...sims.map((s) => s.stop()), ...batteries.map((b) => b.stop())]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await Promise.all([...sims.map((s) => s.start()), ...batteries.map((b) => b.start())]);
  if (batteries.length) process.stdout.write(`simulator: ${batteries.length} batteries online (${values.batteries})\n`);
  process.stdout.write(
    `simulator: ${sims.length} kiosks online on ${values.broker}${prefix.data ? ` under ${prefix.data}/` : ''} (${sims.map((s) => s.sn).join(', ')})\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`simulator failed: ${err.message}\n`);
  process.exit(1);
});
