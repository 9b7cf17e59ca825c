import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';
import { stationSecret } from './station-auth';
import { rotateStationSecret } from './station-secrets';

/** Demo water stations in Nairobi (dev data; the simulator plays them). */
export const DEMO_WATER_STATIONS = [
  { stationId: 'STATION001', name: 'Kibera Olympic kiosk', latitude: -1.3133, longitude: 36.7868 },
  { stationId: 'STATION002', name: 'Mathare 4A water point', latitude: -1.2597, longitude: 36.8582 },
  { stationId: 'STATION003', name: 'Kawangware market tap', latitude: -1.2833, longitude: 36.7426 },
  { stationId: 'STATION004', name: 'Mukuru kwa Njenga ATM', latitude: -1.3117, longitude: 36.8869 },
];

/** The demo stations, each with its initial secret `stationSecret(WATER_STATION_SECRET, id)` (what `npm run sim:water` signs with) unless it has one. */
export async function seedWaterStations(orm: MikroORM, atRestKey: string): Promise<void> {
  const q = executor(orm);
  for (const s of DEMO_WATER_STATIONS) {
    await q(
      `insert into water_stations (station_id, name, latitude, longitude, tank_level_percent) values (?, ?, ?, ?, 100) on conflict (station_id) do nothing`,
      [s.stationId, s.name, s.latitude, s.longitude],
    );
    const [has] = await q(`select 1 from water_station_secrets where station_id = ?`, [s.stationId]);
    if (!has) await rotateStationSecret(orm, atRestKey, s.stationId, 0, stationSecret(atRestKey, s.stationId));
  }
}
