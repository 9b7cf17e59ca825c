import type { MikroORM } from '@mikro-orm/postgresql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';
import type { ChargerState } from '../entities/charger.entity';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** A charger that needs a person: its OCPP status is Faulted, or it is in the app's Error state (faulted or not connected). */
const FAULTED = `(ocpp_status = 'Faulted' or state = 'Error')`;

/**
 * The operations console's read-only view of the EV chargers for platform admins (issue 17):
 * chargers faulted (the oldest by when it was last heard from) and every charger with its status.
 */
export class ChargerDeskService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async summary() {
    const [row] = await executor(this.deps.orm)(
      `select count(*)::int as n, min(coalesce(last_seen_at, created_at)) as oldest from ev_chargers where ${FAULTED}`,
    );
    return { chargers_faulted: { count: Number(row.n), oldest_at: iso(row.oldest) } };
  }

  async chargers(filter: { state?: ChargerState; faulted?: boolean }, page: Pagination) {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.state) {
      conds.push('state = ?');
      params.push(filter.state);
    }
    if (filter.faulted) conds.push(FAULTED);
    const where = conds.length ? `where ${conds.join(' and ')}` : '';
    const exec = executor(this.deps.orm);
    const [{ n }] = await exec(`select count(*)::int as n from ev_chargers ${where}`, params);
    const rows = await exec(
      `select id, device_number, state, ocpp_status, connected, repair, price, lat, lng, last_seen_at from ev_chargers ${where}
        order by device_number limit ? offset ?`,
      [...params, page.page_size, offsetOf(page)],
    );
    return pageOf(
      rows.map((r) => ({
        id: r.id as string,
        device_number: r.device_number as string,
        state: r.state as string,
        ocpp_status: (r.ocpp_status as string | null) ?? null,
        connected: Boolean(r.connected),
        repair: Boolean(r.repair),
        price: Number(r.price),
        latitude: Number(r.lat),
        longitude: Number(r.lng),
        last_seen_at: iso(r.last_seen_at),
      })),
      Number(n),
      page,
    );
  }
}
