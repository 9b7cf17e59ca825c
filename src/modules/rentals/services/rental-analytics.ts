import type { AnalyticsPeriod } from '../../../kernel/period';
import type { Execute } from '../../../kernel/sql';
import { OPEN_STATUS_SQL } from '../rules/status';
import { RENTAL_ROLLUP_TIME_ZONE, rollupSummary, type RentalPeriodSummary } from './rental-activity-rollup';

const n = (v: unknown) => Number(v ?? 0);
/** Eject failures that were the kiosk's (no ack, or an error ack), not the rider's balance. */
const FAILED_EJECT = `status = 'failed' and failure_code in ('DEVICE_TIMEOUT', 'DEVICE_ERROR')`;

/** The same figures as {@link rollupSummary}, counted over the rentals (any time zone; slow over long periods at scale). */
async function scanSummary(q: Execute, p: AnalyticsPeriod): Promise<RentalPeriodSummary> {
  const prevStart = new Date(p.start.getTime() - (p.end.getTime() - p.start.getTime()));
  const [r] = await q(
    `select (select count(*) from rentals where status in (${OPEN_STATUS_SQL})) as open_now,
            count(*) as total, count(distinct user_id) as renters, count(*) filter (where ${FAILED_EJECT}) as failed_ejects
     from rentals where created_at >= ? and created_at < ?`,
    [p.start, p.end],
  );
  const [ret] = await q(
    `with prev as (select distinct user_id from rentals where created_at >= ? and created_at < ?),
          cur as (select distinct user_id from rentals where created_at >= ? and created_at < ?)
     select (select count(*) from prev) as previous, (select count(*) from prev join cur using (user_id)) as retained`,
    [prevStart, p.start, p.start, p.end],
  );
  const daily = await q(
    `select to_char(created_at at time zone ?, 'YYYY-MM-DD') as day, count(*) as rentals, count(distinct user_id) as renters
     from rentals where created_at >= ? and created_at < ? group by 1 order by 1`,
    [p.timeZone, p.start, p.end],
  );
  return {
    open_now: n(r.open_now),
    in_period: n(r.total),
    renters: n(r.renters),
    failed_ejects: n(r.failed_ejects),
    retention: { previous_period_renters: n(ret.previous), returned_this_period: n(ret.retained) },
    by_day: daily.map((d) => ({ day: String(d.day), rentals: n(d.rentals), renters: n(d.renters) })),
  };
}

/**
 * Rentals over a period (by `created_at`, indexes `rentals_created_at_index` and
 * `rentals_station_created_at_index`, and the activity rollup kept by a trigger): how many, by whom,
 * per day, the renters of the period before who came back (retention), what is open now, per station.
 */
export function rentalAnalytics(q: Execute) {
  return {
    /** The period's rentals: from the activity rollup for its time zone's days, else counted from the rentals themselves. */
    summary(p: AnalyticsPeriod): Promise<RentalPeriodSummary> {
      return p.timeZone === RENTAL_ROLLUP_TIME_ZONE ? rollupSummary(q, p) : scanSummary(q, p);
    },

    /** Per station serial: rentals started there, their minutes out (within the period), failed ejects. */
    async perStation(p: AnalyticsPeriod): Promise<Map<string, { rentals: number; rentalMinutes: number; failedEjects: number }>> {
      const rows = await q(
        `select station_sn, count(*) as rentals, count(*) filter (where ${FAILED_EJECT}) as failed,
                coalesce(sum(extract(epoch from least(coalesce(returned_at, ended_at, now()), ?) - greatest(started_at, ?)) / 60) filter (where started_at is not null), 0) as minutes
         from rentals where created_at >= ? and created_at < ? group by station_sn`,
        [p.end, p.start, p.start, p.end],
      );
      return new Map(
        rows.map((r) => [String(r.station_sn), { rentals: n(r.rentals), rentalMinutes: Math.max(0, Math.round(n(r.minutes))), failedEjects: n(r.failed) }]),
      );
    },
  };
}
export type RentalAnalytics = ReturnType<typeof rentalAnalytics>;
