import { parseWaterConfig } from '../config';
import type { MikroORM } from '@mikro-orm/postgresql';
import { demoStations } from '../modules/stations';
import { seedWaterStations } from '../modules/dispensing';
import { seedFleetDemo } from '../modules/loans';

/** Demo packages: price in paisa (NPR 20 = 2000). */
export const DEMO_PACKAGES = [
  { code: '1H', name: '1 hour', durationMinutes: 60, priceMinor: 2000 },
  { code: '3H', name: '3 hours', durationMinutes: 180, priceMinor: 5000 },
  { code: '1D', name: '1 day', durationMinutes: 1440, priceMinor: 15000 },
];

export const DEMO_ADMIN = { id: '00000000-0000-4000-8000-000000000001', email: 'admin@stationflow.local', username: 'admin', role: 'admin' };

/** Loads the demo data; running it again changes nothing (upserts by natural key). */
export async function seedDemoData(orm: MikroORM, stationCount = 12): Promise<void> {
  const conn = orm.em.getConnection();
  await conn.transactional(async (trx) => {
    const q = (sql: string, params: unknown[]) => conn.execute(sql, params, 'run', trx);
    for (const s of demoStations(stationCount)) {
      await q(
        `insert into stations (id, sn, name, address, latitude, longitude, slot_count) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?)
         on conflict (sn) do nothing`,
        [s.sn, s.name, s.address, s.latitude, s.longitude, s.slots.length],
      );
      for (const slot of s.slots) {
        await q(
          `insert into slots (id, station_id, index, status, power_bank_sn, battery_level)
           select gen_random_uuid(), id, ?, ?, ?, ? from stations where sn = ? on conflict (station_id, index) do nothing`,
          [slot.index, slot.powerBankSn ? 'occupied' : 'empty', slot.powerBankSn, slot.batteryLevel, s.sn],
        );
        if (slot.powerBankSn) {
          await q(
            `insert into power_banks (id, sn, status, battery_level, station_id, slot_index)
             select gen_random_uuid(), ?, 'available', ?, id, ? from stations where sn = ? on conflict (sn) do nothing`,
            [slot.powerBankSn, slot.batteryLevel, slot.index, s.sn],
          );
        }
      }
    }
    for (const p of DEMO_PACKAGES) {
      await q(
        `insert into rental_packages (id, code, name, duration_minutes, price_minor) values (gen_random_uuid(), ?, ?, ?, ?) on conflict (code) do nothing`,
        [p.code, p.name, p.durationMinutes, p.priceMinor],
      );
    }
    await q(`insert into users (id, email, username, role) values (?, ?, ?, ?) on conflict (id) do nothing`, [
      DEMO_ADMIN.id,
      DEMO_ADMIN.email,
      DEMO_ADMIN.username,
      DEMO_ADMIN.role,
    ]);
    // The fleet product (seed 004): dealer, admin, technicians, consumers, batteries.
    await seedFleetDemo((sql, params = []) => conn.execute(sql, params, 'all', trx));
  });
  // Water stations in Nairobi (seed 002).
  await seedWaterStations(orm, parseWaterConfig(process.env).WATER_STATION_SECRET);
}
