import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { toInt } from '../../../kernel/money';
import { rulesFromConfig } from '../rules/rules';
import { OPEN_STATUS_SQL } from '../rules/status';
import { estimatedPageOf, listTotal, offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { presentRental, RENTAL_SELECT } from './present';
import { executor, type Execute } from '../../../kernel/sql';

export interface HistoryFilters extends Pagination {
  status?: string;
  payment_model?: string;
  payment_status?: string;
  station_sn?: string;
  start_date?: Date;
  end_date?: Date;
}

/**
 * A rider's rental history page, newest first (rentals_user_id_created_at_index read backwards), and the
 * `from` its total is counted over.
 */
export function historyQuery(userId: string, f: HistoryFilters) {
  const where = ['r.user_id = ?'];
  const params: unknown[] = [userId];
  const add = (sql: string, v: unknown) => {
    if (v !== undefined) {
      where.push(sql);
      params.push(v);
    }
  };
  add('r.status = ?', f.status);
  add('r.payment_model = ?', f.payment_model);
  add('r.payment_status = ?', f.payment_status);
  add('(r.station_sn = ? or r.return_station_sn = ?)', f.station_sn);
  if (f.station_sn !== undefined) params.push(f.station_sn);
  add('r.created_at >= ?', f.start_date);
  add('r.created_at < ?', f.end_date);
  const w = where.join(' and ');
  return {
    sql: `${RENTAL_SELECT} where ${w} order by r.created_at desc, r.id limit ? offset ?`,
    params: [...params, f.page_size, offsetOf(f)],
    countFrom: `from rentals r where ${w}`,
    countParams: params,
  };
}

/** Rentals as the user (active, history, one with its timeline) and admins (returns with no rental) read them. */
export class RentalReadService {
  constructor(private readonly deps: { orm: MikroORM; config: Config }) {}

  private get conn() {
    return this.deps.orm.em.getConnection();
  }
  private get rules() {
    return rulesFromConfig(this.deps.config);
  }

  async active(userId: string) {
    const [row] = await this.conn.execute(`${RENTAL_SELECT} where r.user_id = ? and r.status in (${OPEN_STATUS_SQL}) limit 1`, [userId]);
    return row ? presentRental(row, this.rules) : null;
  }

  async history(userId: string, f: HistoryFilters) {
    const { sql, params, countFrom, countParams } = historyQuery(userId, f);
    const exec = executor(this.deps.orm);
    // The total (exact up to EXACT_TOTAL_CAP, else estimated) and the page side by side; the page reads rentals_user_id_created_at_index in order.
    const [total, rows] = await Promise.all([listTotal(exec, countFrom, countParams), exec(sql, params)]);
    return estimatedPageOf(
      rows.map((r: Record<string, unknown>) => presentRental(r, this.rules)),
      total,
      f,
    );
  }

  async detail(userId: string, rentalId: string) {
    const [row] = await this.conn.execute(`${RENTAL_SELECT} where r.id = ? and r.user_id = ?`, [rentalId, userId]);
    if (!row) return null;
    const events = await this.conn.execute(`select type, data, occurred_at from rental_events where rental_id = ? order by occurred_at, id`, [rentalId]);
    return {
      ...presentRental(row, this.rules),
      timeline: events.map((e: Record<string, unknown>) => ({
        type: String(e.type),
        at: new Date(e.occurred_at as string).toISOString(),
        data: e.data ?? null,
      })),
    };
  }

  /** Kiosk returns that matched no open rental: for admins to reconcile. */
  async returns(f: Pagination & { outcome?: string }) {
    const params: unknown[] = f.outcome ? [f.outcome] : [];
    const w = f.outcome ? 'where outcome = ?' : '';
    const [{ n }] = await this.conn.execute(`select count(*) n from power_bank_returns ${w}`, params);
    const rows = await this.conn.execute(`select * from power_bank_returns ${w} order by received_at desc, id desc limit ? offset ?`, [
      ...params,
      f.page_size,
      offsetOf(f),
    ]);
    return pageOf(
      rows.map((r: Record<string, unknown>) => ({
        id: String(r.id),
        event_id: String(r.event_id),
        station_sn: String(r.station_sn),
        slot: r.slot_index === null ? null : toInt(r.slot_index),
        power_bank_sn: String(r.power_bank_sn),
        battery_level: r.battery_level === null ? null : toInt(r.battery_level),
        rental_id: (r.rental_id as string) ?? null,
        outcome: String(r.outcome),
        refusal_reason: (r.refusal_reason as string) ?? null,
        received_at: new Date(r.received_at as string).toISOString(),
      })),
      toInt(n),
      f,
    );
  }
}

/** How many rentals a user has had, for their usage numbers. */
export async function rentalCount(tx: Execute, userId: string): Promise<number> {
  const [r] = await tx(`select count(*)::int as n from rentals where user_id = ?`, [userId]);
  return r.n;
}
