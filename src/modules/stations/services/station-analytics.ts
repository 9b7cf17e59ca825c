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
 * change of presence, with the running total of offline seconds up to it). Before a station's
 * first logged change it counts as online; a station with no logged change at all is offline since
 * it was last seen if it is offline now, online otherwise.
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
      // Offline seconds up to an instant: the running total of the last change before it, plus the time since if that change was to offline.
      const upTo = (row: string, t: string) => `${row}.offline_seconds_before + case when ${row}.online then 0 else extract(epoch from ${t} - ${row}.at) end`;
      const last = (before: string) =>
        `(select l.online, l.at, l.offline_seconds_before from station_presence_log l where l.station_id = s.id and l.at < ${before} order by l.at desc, l.id desc limit 1)`;
      const rows = await q(
        `with bounds as (select ?::timestamptz as p_start, least(?::timestamptz, now()) as p_end)
         select s.id, s.sn, s.name, s.slot_count, s.online, s.maintenance,
                (select count(*) from slots sl where sl.station_id = s.id and sl.power_bank_sn is not null) as banks_in,
                greatest(extract(epoch from b.p_end - greatest(b.p_start, s.created_at)) / 60, 0) as observed,
                case when z.at is not null then ((${upTo('z', 'b.p_end')}) - coalesce(${upTo('a', 'b.p_start')}, 0)) / 60
                     when exists (select 1 from station_presence_log l where l.station_id = s.id) or s.online then 0
                     else greatest(extract(epoch from b.p_end - greatest(b.p_start, coalesce(s.last_seen_at, s.created_at))) / 60, 0) end as offline
         from stations s cross join bounds b
         left join lateral ${last('b.p_start')} a on true
         left join lateral ${last('b.p_end')} z on true
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
