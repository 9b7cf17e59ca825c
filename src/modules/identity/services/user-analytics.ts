import type { AnalyticsPeriod } from '../../../kernel/period';
import type { Execute } from '../../../kernel/sql';

const n = (v: unknown) => Number(v ?? 0);

/**
 * Customers as identity knows them: totals by status, sign-ups per day of a period (in its time
 * zone), and the onboarding funnel of the period's sign-ups (profile complete, KYC submitted,
 * KYC approved). Uses `users_created_at_index`.
 */
export async function userAnalytics(q: Execute, p: AnalyticsPeriod) {
  const [totals] = await q(
    `select count(*) as total, count(*) filter (where status = 'active') as active, count(*) filter (where status <> 'active') as inactive,
            count(*) filter (where created_at < ?) as before_period
     from users where role = 'customer'`,
    [p.start],
  );
  const daily = await q(
    `select to_char(day, 'YYYY-MM-DD') as day, n from (select (created_at at time zone ?)::date as day, count(*) as n from users
     where role = 'customer' and created_at >= ? and created_at < ? group by 1) d order by d.day`,
    [p.timeZone, p.start, p.end],
  );
  // Hash joins over the period's sign-ups (one look-up per user and table would be 100k index probes a year).
  const [funnel] = await q(
    `select count(*) as registered,
            count(*) filter (where pr.full_name is not null and pr.date_of_birth is not null and pr.gender is not null and pr.address_line is not null and pr.city is not null) as profile_complete,
            count(k.user_id) as kyc_submitted, count(*) filter (where k.approved) as kyc_approved
     from users u left join user_profiles pr on pr.user_id = u.id
     left join (select user_id, bool_or(status = 'approved') as approved from kyc_submissions group by user_id) k on k.user_id = u.id
     where u.role = 'customer' and u.created_at >= ? and u.created_at < ?`,
    [p.start, p.end],
  );
  return {
    total: n(totals.total),
    active_accounts: n(totals.active),
    inactive_accounts: n(totals.inactive),
    at_period_start: n(totals.before_period),
    new_in_period: n(funnel.registered),
    new_by_day: daily.map((r) => ({ day: String(r.day), count: n(r.n) })),
    kyc_funnel: {
      registered: n(funnel.registered),
      profile_complete: n(funnel.profile_complete),
      kyc_submitted: n(funnel.kyc_submitted),
      kyc_approved: n(funnel.kyc_approved),
    },
  };
}
export type UserAnalytics = Awaited<ReturnType<typeof userAnalytics>>;

/** The dashboard's user figures alone: customers now, and those who signed up in the period (one pass over `users`). */
export async function userCounts(q: Execute, p: AnalyticsPeriod): Promise<{ total: number; new_in_period: number }> {
  const [r] = await q(
    `select count(*) as total, count(*) filter (where created_at >= ? and created_at < ?) as new_in_period from users where role = 'customer'`,
    [p.start, p.end],
  );
  return { total: n(r.total), new_in_period: n(r.new_in_period) };
}
