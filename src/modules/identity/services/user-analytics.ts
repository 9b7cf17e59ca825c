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
    `select to_char(created_at at time zone ?, 'YYYY-MM-DD') as day, count(*) as n from users
     where role = 'customer' and created_at >= ? and created_at < ? group by 1 order by 1`,
    [p.timeZone, p.start, p.end],
  );
  const [funnel] = await q(
    `select count(*) as registered,
            count(*) filter (where pr.full_name is not null and pr.date_of_birth is not null and pr.gender is not null and pr.address_line is not null and pr.city is not null) as profile_complete,
            count(*) filter (where exists (select 1 from kyc_submissions k where k.user_id = u.id)) as kyc_submitted,
            count(*) filter (where exists (select 1 from kyc_submissions k where k.user_id = u.id and k.status = 'approved')) as kyc_approved
     from users u left join user_profiles pr on pr.user_id = u.id
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
