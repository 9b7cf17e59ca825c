import { demoSlots } from '../../src/modules/stations/rules/demo';
import { KioskSimulator, type SimMode } from '../../src/sim/kiosk-simulator';
import { sql } from './db';
import { createTestStation, eventually, type TestStack } from './stack';

/** How often a test kiosk heartbeats: well inside the bridge's silence timeout (BRIDGE_HEARTBEAT_TIMEOUT_MS, 60 s), so a slow test never sees its kiosk swept offline. */
export const KIOSK_HEARTBEAT_MS = 5_000;

/**
 * A station of the test's own (demo bay layout) played by the in-process simulator over the real
 * broker, under the stack's topic prefix; resolves once the bridge saw it online (and, with
 * batteryLevel(s), once the first heartbeat's levels are in the slots). Stopped again if it never
 * comes online. `heartbeatMs: 0`: no periodic heartbeat (the test sends each with sendHeartbeat()).
 */
export async function startKiosk(
  stack: TestStack,
  opts: { mode?: SimMode; ejectDelayMs?: number; batteryLevel?: number; batteryLevels?: number[]; heartbeatMs?: number } = {},
): Promise<KioskSimulator> {
  const sn = await createTestStation(stack.orm);
  const levelOf = (index: number) => opts.batteryLevels?.[index - 1] ?? opts.batteryLevel;
  const slots = demoSlots(sn).map((s) => (s.powerBankSn && levelOf(s.index) !== undefined ? { ...s, batteryLevel: levelOf(s.index)! } : s));
  const sim = new KioskSimulator({
    brokerUrl: stack.config.MQTT_URL,
    topicPrefix: stack.config.MQTT_TOPIC_PREFIX,
    sn,
    slots,
    ejectDelayMs: opts.ejectDelayMs ?? 150,
    heartbeatMs: opts.heartbeatMs ?? KIOSK_HEARTBEAT_MS,
    mode: opts.mode,
    clock: stack.deviceClock,
    authSecret: stack.config.MQTT_AUTH_SECRET,
  });
  await sim.start();
  try {
    await eventually(async () => (await sql(stack, 'select online from stations where sn = ?', [sn]))[0]?.online);
    const told = slots.filter((s) => s.powerBankSn && levelOf(s.index) !== undefined);
    if (told.length) {
      await eventually(async () => {
        const rows = await sql(stack, `select s.index, s.battery_level from slots s join stations st on st.id = s.station_id where st.sn = ?`, [sn]);
        return told.every((t) => rows.some((r) => r.index === t.index && r.battery_level === t.batteryLevel));
      });
    }
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return sim;
}
