import { demoSlots } from '../../src/modules/stations/rules/demo';
import { KioskSimulator, type SimMode } from '../../src/sim/kiosk-simulator';
import { sql } from './db';
import { createTestStation, eventually, type TestStack } from './stack';

/**
 * A station of the test's own (demo bay layout) played by the in-process simulator over the real
 * broker; resolves once the bridge saw it online (and, with batteryLevel(s), once the first heartbeat's
 * levels are in the slots). Stopped again if it never comes online.
 */
export async function startKiosk(stack: TestStack, opts: { mode?: SimMode; ejectDelayMs?: number; batteryLevel?: number; batteryLevels?: number[] } = {}): Promise<KioskSimulator> {
  const sn = await createTestStation(stack.orm);
  const levelOf = (index: number) => opts.batteryLevels?.[index - 1] ?? opts.batteryLevel;
  const slots = demoSlots(sn).map((s) => (s.powerBankSn && levelOf(s.index) !== undefined ? { ...s, batteryLevel: levelOf(s.index)! } : s));
  const sim = new KioskSimulator({ brokerUrl: stack.config.MQTT_URL, sn, slots, ejectDelayMs: opts.ejectDelayMs ?? 150, heartbeatMs: 60_000, mode: opts.mode });
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
