import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';

/** Demo water stations in Nairobi (dev data; the simulator plays them). */
export const DEMO_WATER_STATIONS = [
  { stationId: 'STATION001', name: 'Kibera Olympic kiosk', latitude: -1.3133, longitude: 36.7868 },
  { stationId: 'STATION002', name: 'Mathare 4A water point', latitude: -1.2597, longitude: 36.8582 },
  { stationId: 'STATION003', name: 'Kawangware market tap', latitude: -1.2833, longitude: 36.7426 },
  { stationId: 'STATION004', name: 'Mukuru kwa Njenga ATM', latitude: -1.3117, longitude: 36.8869 },
];

export async function seedWaterStations(orm: MikroORM): Promise<void> {
  const q = executor(orm);
  for (const s of DEMO_WATER_STATIONS)
    await q(
      `insert into water_stations (station_id, name, latitude, longitude, tank_level_percent) values (?, ?, ?, ?, 100) on conflict (station_id) do nothing`,
      [s.stationId, s.name, s.latitude, s.longitude],
    );
}
