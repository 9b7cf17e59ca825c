import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { estimatedPageOf, listTotal, offsetOf, type Pagination } from '../../../kernel/paging';
import { isoOrNull } from '../../../kernel/present';
import { executor, inTransaction, isUniqueViolation, type Execute } from '../../../kernel/sql';
import { slotCounts, stationDto, stationListQuery, stationWhere, type StationFilters } from './station-query.service';

export interface StationInput {
  sn: string;
  imei?: string | null;
  qr_code?: string | null;
  name: string;
  address?: string | null;
  latitude: number;
  longitude: number;
  slot_count: number;
}
export type StationPatch = Partial<Omit<StationInput, 'sn'>>;

/** The bays of a station that an open rental started from (rentals' answer, wired by src/workers). */
export type OpenRentalBays = (sn: string, tx: Execute) => Promise<number[]>;

const ADMIN_COLUMNS = `s.id, s.sn, s.imei, s.qr_code, s.name, s.address, s.latitude, s.longitude, s.online, s.maintenance, s.last_seen_at, s.slot_count,
  s.created_at, s.updated_at, coalesce(c.total_slots, 0) as total_slots, coalesce(c.available, 0) as available, coalesce(c.empty, 0) as empty`;

const adminDto = (r: Record<string, unknown>) => ({
  id: String(r.id),
  ...stationDto(r),
  imei: (r.imei as string) ?? null,
  qr_code: (r.qr_code as string) ?? null,
  slot_count: Number(r.slot_count),
  created_at: isoOrNull(r.created_at)!,
  updated_at: isoOrNull(r.updated_at)!,
});
export type AdminStation = ReturnType<typeof adminDto>;

const UNIQUE_FIELDS: Record<string, string> = { stations_sn_unique: 'sn', stations_imei_unique: 'imei', stations_qr_code_unique: 'qr_code' };

function duplicate(err: unknown): AppError | undefined {
  const hit = Object.entries(UNIQUE_FIELDS).find(([constraint]) => isUniqueViolation(err, constraint));
  return hit ? new AppError('STATION_EXISTS', `Another station has this ${hit[1]}`, 409, { field: hit[1] }) : undefined;
}

/**
 * The admin station list: newest first (the partial index stations_active_newest read in order), and the
 * `from` its total is counted over (the bays only where a filter needs them, as the app's list).
 */
export function adminStationListQuery(q: Pagination & StationFilters, minBattery: number) {
  const { countFrom, countParams } = stationListQuery({ ...q, ordering: 'newest' }, minBattery);
  const where: string[] = [];
  const params: unknown[] = [];
  stationWhere(q, where, params);
  return {
    sql: `select ${ADMIN_COLUMNS} from stations s ${slotCounts(minBattery)} where ${where.join(' and ')} order by s.created_at desc, s.sn limit ? offset ?`,
    params: [...params, q.page_size, offsetOf(q)],
    countFrom,
    countParams,
  };
}

/**
 * Admins register and change stations. A station is created with its empty bays and offline; the
 * bridge marks it online when its kiosk connects (presence), and the app's lists show it at once.
 * Changing the bay count adds empty bays or removes the highest ones, never one that holds a power
 * bank or that an open rental started from (409), under the station's row lock.
 */
export class StationAdminService {
  constructor(private readonly deps: { orm: MikroORM; minBatteryPercent: number; openRentalBays: OpenRentalBays }) {}

  async list(q: Pagination & StationFilters) {
    const { sql, params, countFrom, countParams } = adminStationListQuery(q, this.deps.minBatteryPercent);
    const exec = executor(this.deps.orm);
    const [total, rows] = await Promise.all([listTotal(exec, countFrom, countParams), exec(sql, params)]);
    return estimatedPageOf(rows.map(adminDto), total, q);
  }

  /** How many stations are online, offline and in maintenance (system health). */
  async fleet() {
    const [r] = await executor(this.deps.orm)(
      `select count(*)::int as total, count(*) filter (where online)::int as online, count(*) filter (where maintenance)::int as maintenance from stations where status = 'active'`,
    );
    return { total: r.total as number, online: r.online as number, offline: (r.total - r.online) as number, maintenance: r.maintenance as number };
  }

  async get(id: string, tx: Execute = executor(this.deps.orm)): Promise<AdminStation> {
    const [row] = await tx(`select ${ADMIN_COLUMNS} from stations s ${slotCounts(this.deps.minBatteryPercent)} where s.id = ?`, [id]);
    if (!row) throw Errors.notFound('Station');
    return adminDto(row);
  }

  async create(input: StationInput): Promise<AdminStation> {
    try {
      return await inTransaction(this.deps.orm, async (tx) => {
        const [{ id }] = await tx(
          `insert into stations (id, sn, imei, qr_code, name, address, latitude, longitude, slot_count, online) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, false) returning id`,
          [input.sn, input.imei ?? null, input.qr_code ?? null, input.name, input.address ?? null, input.latitude, input.longitude, input.slot_count],
        );
        await this.addBays(tx, id, 1, input.slot_count);
        return this.get(id, tx);
      });
    } catch (err) {
      throw duplicate(err) ?? err;
    }
  }

  async update(id: string, patch: StationPatch): Promise<{ before: AdminStation; after: AdminStation }> {
    try {
      return await inTransaction(this.deps.orm, async (tx) => {
        const [locked] = await tx(`select sn, slot_count from stations where id = ? for update`, [id]);
        if (!locked) throw Errors.notFound('Station');
        const before = await this.get(id, tx);
        if (patch.slot_count !== undefined && patch.slot_count !== Number(locked.slot_count)) await this.resize(tx, id, String(locked.sn), patch.slot_count);
        const columns = {
          imei: patch.imei,
          qr_code: patch.qr_code,
          name: patch.name,
          address: patch.address,
          latitude: patch.latitude,
          longitude: patch.longitude,
          slot_count: patch.slot_count,
        };
        const set = Object.entries(columns).filter(([, v]) => v !== undefined);
        if (set.length)
          await tx(`update stations set ${set.map(([k]) => `${k} = ?`).join(', ')}, updated_at = now() where id = ?`, [...set.map(([, v]) => v), id]);
        return { before, after: await this.get(id, tx) };
      });
    } catch (err) {
      throw duplicate(err) ?? err;
    }
  }

  private async addBays(tx: Execute, stationId: string, from: number, to: number) {
    if (to < from) return;
    await tx(
      `insert into slots (id, station_id, index, status) select gen_random_uuid(), ?, i, 'empty' from generate_series(?::int, ?::int) i on conflict do nothing`,
      [stationId, from, to],
    );
  }

  private async resize(tx: Execute, stationId: string, sn: string, count: number) {
    const [{ bays }] = await tx(`select coalesce(max(index), 0)::int as bays from slots where station_id = ?`, [stationId]);
    if (count >= bays) return this.addBays(tx, stationId, bays + 1, count);
    const held = await tx(`select index from slots where station_id = ? and index > ? and (power_bank_sn is not null or status = 'occupied') order by index`, [
      stationId,
      count,
    ]);
    if (held.length) {
      const slots = held.map((r) => Number(r.index));
      throw new AppError('SLOT_IN_USE', `Bays ${slots.join(', ')} hold a power bank`, 409, { slots });
    }
    const renting = (await this.deps.openRentalBays(sn, tx)).filter((i) => i > count);
    if (renting.length) throw new AppError('SLOT_IN_USE', `Bays ${renting.join(', ')} are in an open rental`, 409, { slots: renting });
    await tx(`delete from slots where station_id = ? and index > ?`, [stationId, count]);
  }
}
