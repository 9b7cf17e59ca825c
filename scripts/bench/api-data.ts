import type { BenchStack } from './stack';

/** Where the stations are spread: central Nepal (about 165 x 250 km), so a 3 km circle around Kathmandu holds a few dozen. */
export const BENCH_ORIGIN = { lat: 27.7172, lng: 85.324, radius: 3000 };

/**
 * `n` active stations (serials BN000001...) with 8 bays each (6 charged power banks), generated in
 * SQL with a fixed seed. The rows live in the bench's PostgreSQL data folder (.data/bench-api/pg-<n>),
 * so a second run finds them there and loads nothing. Returns the seconds spent loading (0 when cached).
 */
export async function loadBenchStations(stack: BenchStack, n: number): Promise<number> {
  const conn = stack.orm.em.getConnection();
  const [{ count }] = await conn.execute(`select count(*)::int as count from stations where sn like 'BN%'`);
  if (count === n) return 0;
  const started = Date.now();
  await conn.execute(`delete from slots where station_id in (select id from stations where sn like 'BN%')`);
  await conn.execute(`delete from stations where sn like 'BN%'`);
  await conn.execute(`select setseed(0.42)`);
  await conn.execute(
    `insert into stations (id, sn, name, address, latitude, longitude, slot_count, online, last_seen_at, created_at)
     select gen_random_uuid(), 'BN' || lpad(g::text, 6, '0'), initcap(substr(md5(g::text), 1, 8)) || ' Charging Point ' || g, 'Bench Road ' || g,
            27.0 + random() * 1.5, 84.0 + random() * 2.5, 8, g % 10 <> 0, now(), now() - (g || ' seconds')::interval
     from generate_series(1, ?) g`,
    [n],
  );
  await conn.execute(
    `insert into slots (id, station_id, index, status, power_bank_sn, battery_level)
     select gen_random_uuid(), s.id, i, case when i <= 6 then 'occupied' else 'empty' end,
            case when i <= 6 then 'PBN-' || s.sn || '-' || i end, case when i <= 6 then 60 + (i * 7) % 40 end
     from stations s cross join generate_series(1, 8) i where s.sn like 'BN%'`,
  );
  await conn.execute(`analyze stations`);
  await conn.execute(`analyze slots`);
  return (Date.now() - started) / 1000;
}
