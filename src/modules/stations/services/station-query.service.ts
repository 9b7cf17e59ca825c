import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { estimatedPageOf, likeContains, listTotal, offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';
import { DEFAULT_MIN_BATTERY_PERCENT } from '../../../config/rentals';
import { isoOrNull } from '../../../kernel/present';

export type StationState = 'online' | 'offline' | 'maintenance';
export interface StationFilters {
  status?: StationState;
  has_available?: boolean;
  search?: string;
}

/** Columns and per-station slot counts shared by every station list (s = stations, c = counts). */
export const STATION_COLUMNS = `s.id, s.sn, s.name, s.address, s.latitude, s.longitude, s.online, s.maintenance, s.last_seen_at,
  coalesce(c.total_slots, 0) as total_slots, coalesce(c.available, 0) as available, coalesce(c.empty, 0) as empty`;
/**
 * Per-station slot counts; a docked power bank is `available` when charged to at least
 * `minBattery` percent, the same threshold rental start applies (RENTAL_MIN_BATTERY_PERCENT).
 */
export function slotCounts(minBattery: number): string {
  if (!Number.isInteger(minBattery) || minBattery < 0 || minBattery > 100) throw new RangeError(`minBattery ${minBattery} is not a percentage`);
  return `left join lateral (select count(*)::int as total_slots,
  count(*) filter (where sl.status = 'occupied' and sl.power_bank_sn is not null and coalesce(sl.battery_level, 0) >= ${minBattery})::int as available,
  count(*) filter (where sl.status = 'empty')::int as empty
  from slots sl where sl.station_id = s.id) c on true`;
}

/** SQL conditions for the usual station filters (`s` and `c` in scope). */
export function stationWhere(f: StationFilters, where: string[], params: unknown[]) {
  where.push(`s.status = 'active'`);
  if (f.status === 'maintenance') where.push('s.maintenance');
  if (f.status === 'online') where.push('s.online and not s.maintenance');
  if (f.status === 'offline') where.push('not s.online and not s.maintenance');
  if (f.has_available !== undefined) where.push(f.has_available ? 'coalesce(c.available, 0) > 0' : 'coalesce(c.available, 0) = 0');
  if (f.search) {
    where.push('(s.name ilike ? or s.address ilike ? or s.sn ilike ?)');
    params.push(...Array(3).fill(likeContains(f.search)));
  }
}

export function stationDto(r: Record<string, unknown>) {
  const online = Boolean(r.online);
  const maintenance = Boolean(r.maintenance);
  return {
    sn: String(r.sn),
    name: String(r.name),
    address: (r.address as string) ?? null,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    status: (maintenance ? 'maintenance' : online ? 'online' : 'offline') as StationState,
    online,
    maintenance,
    last_seen_at: isoOrNull(r.last_seen_at),
    total_slots: Number(r.total_slots),
    available_power_banks: Number(r.available),
    empty_slots: Number(r.empty),
    ...(r.distance_m !== undefined ? { distance_m: Math.round(Number(r.distance_m)) } : {}),
  };
}

export interface NearbyQuery extends Pagination, StationFilters {
  lat: number;
  lng: number;
  radius: number;
}

/**
 * Stations within `radius` metres, nearest first. earth_box(...) @> ll_to_earth(lat, lng) is answered
 * by the GiST index stations_earth_gist; earth_distance then trims the box's corners.
 */
export function nearbyQuery(q: NearbyQuery, minBattery = DEFAULT_MIN_BATTERY_PERCENT) {
  const near = `earth_box(ll_to_earth(?, ?), ?) @> ll_to_earth(s.latitude, s.longitude) and earth_distance(ll_to_earth(?, ?), ll_to_earth(s.latitude, s.longitude)) <= ?`;
  const where = [near];
  const params: unknown[] = [q.lat, q.lng, q.radius, q.lat, q.lng, q.radius];
  stationWhere(q, where, params);
  const from = `from stations s ${slotCounts(minBattery)} where ${where.join(' and ')}`;
  return {
    sql: `select ${STATION_COLUMNS}, earth_distance(ll_to_earth(?, ?), ll_to_earth(s.latitude, s.longitude)) as distance_m ${from} order by distance_m, s.sn limit ? offset ?`,
    params: [q.lat, q.lng, ...params, q.page_size, offsetOf(q)],
    countSql: `select count(*)::int as total ${from}`,
    countParams: params,
  };
}

export type StationListQuery = Pagination & StationFilters & { ordering: 'name' | 'newest' | 'most_available' };

/**
 * The app's station list: a page in the order asked (name and newest read the partial indexes
 * stations_active_name / stations_active_newest in order) and the `from` its total is counted over.
 */
export function stationListQuery(q: StationListQuery, minBattery = DEFAULT_MIN_BATTERY_PERCENT) {
  const where: string[] = [];
  const params: unknown[] = [];
  stationWhere(q, where, params);
  const order = { name: 's.name asc, s.sn', newest: 's.created_at desc, s.sn', most_available: 'available desc, s.name, s.sn' }[q.ordering];
  const from = `from stations s ${slotCounts(minBattery)} where ${where.join(' and ')}`;
  return {
    sql: `select ${STATION_COLUMNS} ${from} order by ${order} limit ? offset ?`,
    params: [...params, q.page_size, offsetOf(q)],
    // The bays are counted only where a filter needs them: counting 100k stations must not count their bays too.
    countFrom: q.has_available === undefined ? `from stations s where ${where.join(' and ')}` : from,
    countParams: params,
  };
}

/** Public station lists for the app map and list. */
export class StationQueryService {
  constructor(private readonly deps: { orm: MikroORM; minBatteryPercent: number }) {}

  async list(q: StationListQuery) {
    const { sql, params, countFrom, countParams } = stationListQuery(q, this.deps.minBatteryPercent);
    const exec = executor(this.deps.orm);
    // The page and its total side by side, as nearby does; the total is exact up to EXACT_TOTAL_CAP, else estimated.
    const [total, rows] = await Promise.all([listTotal(exec, countFrom, countParams), exec(sql, params)]);
    return estimatedPageOf(rows.map(stationDto), total, q);
  }

  async nearby(q: NearbyQuery) {
    const { sql, params, countSql, countParams } = nearbyQuery(q, this.deps.minBatteryPercent);
    const conn = this.deps.orm.em.getConnection();
    // The page and its count side by side (two pooled connections): one round trip of latency, not two.
    const [[{ total }], rows] = await Promise.all([
      conn.execute<{ total: number }[]>(countSql, countParams),
      conn.execute<Record<string, unknown>[]>(sql, params),
    ]);
    return { ...pageOf(rows.map(stationDto), total, q), origin: { lat: q.lat, lng: q.lng }, radius_m: q.radius };
  }

  async detail(sn: string) {
    const conn = this.deps.orm.em.getConnection();
    const [row] = await conn.execute<Record<string, unknown>[]>(
      `select ${STATION_COLUMNS} from stations s ${slotCounts(this.deps.minBatteryPercent)} where s.sn = ? and s.status = 'active'`,
      [sn],
    );
    if (!row) throw new AppError('NOT_FOUND', `Station ${sn} not found`, 404);
    const slots = await conn.execute<{ index: number; status: string; power_bank_sn: string | null; battery_level: number | null; updated_at: Date }[]>(
      `select index, status, power_bank_sn, battery_level, updated_at from slots where station_id = ? order by index`,
      [row.id],
    );
    return {
      ...stationDto(row),
      slots: slots.map((s) => ({
        index: s.index,
        status: s.status,
        has_power_bank: !!s.power_bank_sn,
        battery_level: s.battery_level,
        rentable: s.status === 'occupied' && !!s.power_bank_sn && (s.battery_level ?? 0) >= this.deps.minBatteryPercent,
        updated_at: new Date(s.updated_at).toISOString(),
      })),
      min_rentable_battery: this.deps.minBatteryPercent,
    };
  }
}
