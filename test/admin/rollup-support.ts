import { randomUUID } from 'node:crypto';
import { sql } from '../support/db';
import type { TestStack } from '../support/stack';
const ZONE = 'Asia/Kathmandu';
const FAILED = `status = 'failed' and failure_code in ('DEVICE_TIMEOUT', 'DEVICE_ERROR')`;
/** Rentals with their Nepali day. */
const DAYS = `(select user_id, (created_at at time zone '${ZONE}')::date as day, status, failure_code from rentals)`;

/** The rollup tables recounted from the rentals, each side minus the other: zero rows when equal. Both in one statement, so one snapshot. */
export const ROLLUP_DIFF = `
  with r as ${DAYS},
       ud as (select distinct user_id, day from r),
       days as (select day, count(*)::int as rentals, count(distinct user_id)::int as renters, (count(*) filter (where ${FAILED}))::int as failed_ejects from r group by 1),
       users as (select user_id, day, count(*)::int as rentals from r group by 1, 2),
       gaps as (select d.day, coalesce((select max(p.day) from ud p where p.user_id = d.user_id and p.day < d.day), '-infinity'::date) as prev_day, count(*)::int as users
                from ud d group by 1, 2)
  select (select count(*) from ((select day, rentals, renters, failed_ejects from rental_days except select * from days) union all (select * from days except select day, rentals, renters, failed_ejects from rental_days)) x)::int as days,
         (select count(*) from ((select user_id, day, rentals from renter_days except select * from users) union all (select * from users except select user_id, day, rentals from renter_days)) x)::int as users,
         (select count(*) from ((select day, prev_day, users from renter_day_gaps except select * from gaps) union all (select * from gaps except select day, prev_day, users from renter_day_gaps)) x)::int as gaps`;

/**
 * Rentals of a March of a random year no other test writes rentals in (the analytics rollup test's
 * period is its days 11..20, the one before 1..10), and the figures of a period counted straight
 * from the rentals.
 */
export function rollupFixture(stack: () => TestStack) {
  const year = 2001 + Math.floor(Math.random() * 17);
  const day = (n: number) => `${year}-03-${String(n).padStart(2, '0')}`;

  async function rent(userId: string, d: number, pkg: string): Promise<string> {
    const id = randomUUID();
    // Ten past midnight in Kathmandu: the UTC day before, so a UTC day count would be wrong.
    await sql(
      stack(),
      `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, price_minor, duration_minutes, price_cap_minor, created_at)
       values (?, ?, 'ROLLUP-1', 1, ?, ?, 'pre_payment', 'wallet_only', 'completed', 2000, 60, 2000, ?)`,
      [id, userId, `PB-R-${id}`, pkg, `${day(d)}T00:10:00+05:45`],
    );
    return id;
  }

  async function bruteForce(from: string, to: string, prevFrom: string) {
    const [c] = await sql<{ rentals: number; renters: number; failed: number; previous: number; retained: number }>(
      stack(),
      `with r as ${DAYS}
       select (count(*) filter (where day between ?::date and ?::date))::int as rentals,
              (count(distinct user_id) filter (where day between ?::date and ?::date))::int as renters,
              (count(*) filter (where day between ?::date and ?::date and ${FAILED}))::int as failed,
              (select count(distinct user_id) from r where day >= ?::date and day < ?::date)::int as previous,
              (select count(*) from (select distinct user_id from r where day >= ?::date and day < ?::date intersect select distinct user_id from r where day between ?::date and ?::date) x)::int as retained
       from r`,
      [from, to, from, to, from, to, prevFrom, from, prevFrom, from, from, to],
    );
    const byDay = await sql(
      stack(),
      `select to_char(day, 'YYYY-MM-DD') as day, count(*)::int as rentals, count(distinct user_id)::int as renters from ${DAYS} r where day between ?::date and ?::date group by 1 order by 1`,
      [from, to],
    );
    return { ...c, byDay };
  }
  return { day, rent, bruteForce };
}
