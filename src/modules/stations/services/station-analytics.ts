import type { AnalyticsPeriod } from '../../../kernel/period';
import type { Execute } from '../../../kernel/sql';

const n = (v: unknown) => Number(v ?? 0);

export interface StationPeriodStats {
  id: string;
  sn: string;
  name: string;
  slotCount: number;
  online: boolean;
  maintenance: boolean;
  powerBanksIn: number;
  /** Minutes of the period (up to now) the station existed. */
  observedMinutes: number;
  offlineMinutes: number;
}

/**
 * Stations over a period: online now, and offline minutes from `station_presence_log` (each
 * change of presence). A station with no logged change is offline since it was last seen if it is
 * offline now, online otherwise.
 */
export function stationAnalytics(q: Execute) {
  return {
    async counts(): Promise<{ total: number; online: number; offline: number; maintenance: number }> {
      const [r] = await q(
        `select count(*) as total, count(*) filter (where online) as online, count(*) filter (where maintenance) as maintenance from stations where status <> 'deleted'`,
      );
      return { total: n(r.total), online: n(r.online), offline: n(r.total) - n(r.online), maintenance: n(r.maintenance) };
    },

    async perStation(p: AnalyticsPeriod): Promise<StationPeriodStats[]> {
      const rows = await q(
        `with bounds as (select ?::timestamptz as p_start, least(?::timestamptz, now()) as p_end),
         log as (select station_id, online, at, lead(at) over (partition by station_id order by at) as next_at
                 from station_presence_log where at < (select p_end from bounds)),
         logged as (select station_id, sum(extract(epoch from least(coalesce(next_at, 'infinity'), b.p_end) - greatest(at, b.p_start)) / 60) as minutes
                    from log, bounds b where not online and coalesce(next_at, 'infinity') > b.p_start group by station_id)
         select s.id, s.sn, s.name, s.slot_count, s.online, s.maintenance, s.last_seen_at,
                (select count(*) from slots sl where sl.station_id = s.id and sl.power_bank_sn is not null) as banks_in,
                greatest(extract(epoch from b.p_end - greatest(b.p_start, s.created_at)) / 60, 0) as observed,
                case when exists (select 1 from station_presence_log l where l.station_id = s.id) then coalesce(lg.minutes, 0)
                     when s.online then 0
                     else greatest(extract(epoch from b.p_end - greatest(b.p_start, coalesce(s.last_seen_at, s.created_at))) / 60, 0) end as offline
         from stations s cross join bounds b left join logged lg on lg.station_id = s.id
         where s.status <> 'deleted' order by s.sn`,
        [p.start, p.end],
      );
      return rows.map((r) => ({
        id: String(r.id),
        sn: String(r.sn),
        name: String(r.name),
        slotCount: n(r.slot_count),
        online: Boolean(r.online),
        maintenance: Boolean(r.maintenance),
        powerBanksIn: n(r.banks_in),
        observedMinutes: Math.round(n(r.observed)),
        offlineMinutes: Math.min(Math.round(n(r.offline)), Math.round(n(r.observed))),
      }));
    },
  };
}
export type StationAnalytics = ReturnType<typeof stationAnalytics>;
