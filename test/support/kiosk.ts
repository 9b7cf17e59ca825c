import { demoSlots } from '../../src/domain/stations/demo';
import { KioskSimulator, type SimMode } from '../../src/sim/kiosk-simulator';
import { sql } from './db';
import { createTestStation, eventually, type TestStack } from './stack';

/**
 * A station of the test's own (demo bay layout) played by the in-process simulator over the real
 * broker; resolves once the bridge saw it online (and, with batteryLevel, once the first heartbeat's
 * levels are in the slots). Stopped again if it never comes online.
 */
export async function startKiosk(stack: TestStack, opts: { mode?: SimMode; ejectDelayMs?: number; batteryLevel?: number } = {}): Promise<KioskSimulator> {
  const sn = await createTestStation(stack.orm);
  const slots = demoSlots(sn).map((s) => (s.powerBankSn && opts.batteryLevel !== undefined ? { ...s, batteryLevel: opts.batteryLevel } : s));
  const sim = new KioskSimulator({ brokerUrl: stack.config.MQTT_URL, sn, slots, ejectDelayMs: opts.ejectDelayMs ?? 150, heartbeatMs: 60_000, mode: opts.mode });
  await sim.start();
  try {
    await eventually(async () => (await sql(stack, 'select online from stations where sn = ?', [sn]))[0]?.online);
    if (opts.batteryLevel !== undefined) {
      await eventually(async () => (await sql(stack, `select count(*)::int n from slots s join stations st on st.id = s.station_id where st.sn = ? and s.battery_level = ?`, [sn, opts.batteryLevel]))[0].n === 6);
    }
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return sim;
}
