import type { AnalyticsPeriod } from '../../../kernel/period';
import type { Execute } from '../../../kernel/sql';
import { OPEN_STATUS_SQL } from '../rules/status';

/** The time zone whose days `rental_days`, `renter_days` and `renter_day_gaps` count (their trigger's). */
export const RENTAL_ROLLUP_TIME_ZONE = 'Asia/Kathmandu';

const n = (v: unknown) => Number(v ?? 0);

/** What the dashboard and users analytics read about a period's rentals. */
export interface RentalPeriodSummary {
  open_now: number;
  in_period: number;
  renters: number;
  failed_ejects: number;
  retention: { previous_period_renters: number; returned_this_period: number };
  by_day: { day: string; rentals: number; renters: number }[];
}

/**
 * A period's rentals from the activity rollup (days `from`..`to` of {@link RENTAL_ROLLUP_TIME_ZONE}):
 * a few hundred rows for a year however many rentals. Distinct renters = users counted on their
 * first active day of the period (previous active day before it); retained = the renters of the
 * equally long period before whose last active day before this period lies in it.
 */
export async function rollupSummary(q: Execute, p: AnalyticsPeriod): Promise<RentalPeriodSummary> {
  const [r] = await q(
    `with d as (select ?::date as a, ?::date as b), w as (select a, b, a - (b - a + 1) as pa from d)
     select (select count(*) from rentals where status in (${OPEN_STATUS_SQL})) as open_now,
            (select coalesce(sum(x.rentals), 0) from rental_days x, w where x.day between w.a and w.b) as total,
            (select coalesce(sum(x.failed_ejects), 0) from rental_days x, w where x.day between w.a and w.b) as failed,
            (select coalesce(sum(g.users), 0) from renter_day_gaps g, w where g.day between w.a and w.b and g.prev_day < w.a) as renters,
            (select coalesce(sum(g.users), 0) from renter_day_gaps g, w where g.day >= w.pa and g.day < w.a and g.prev_day < w.pa) as previous,
            (select coalesce(sum(g.users), 0) from renter_day_gaps g, w where g.day between w.a and w.b and g.prev_day >= w.pa and g.prev_day < w.a) as retained`,
    [p.from, p.to],
  );
  const daily = await q(
    `select to_char(day, 'YYYY-MM-DD') as day, rentals, renters from rental_days where day between ?::date and ?::date and rentals > 0 order by day`,
    [p.from, p.to],
  );
  return {
    open_now: n(r.open_now),
    in_period: n(r.total),
    renters: n(r.renters),
    failed_ejects: n(r.failed),
    retention: { previous_period_renters: n(r.previous), returned_this_period: n(r.retained) },
    by_day: daily.map((d) => ({ day: String(d.day), rentals: n(d.rentals), renters: n(d.renters) })),
  };
}
