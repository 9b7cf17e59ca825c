import type { MikroORM } from '@mikro-orm/postgresql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Loan states a list can be filtered by (the EMI workflow's BusinessStatus). */
export const FLEET_LOAN_STATES = ['current', 'overdue', 'disabled', 'closed'] as const;
export type FleetLoanState = (typeof FLEET_LOAN_STATES)[number];

/**
 * The operations console's read-only view of the fleet for platform admins (issue 17): what needs a
 * person (loans overdue, batteries disabled, with the oldest) and every loan with its EMI state.
 */
export class FleetDeskService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async summary() {
    const [row] = await executor(this.deps.orm)(
      `select (select count(distinct loan_id)::int from fleet_emi_instalments where status = 'overdue') as loans_overdue,
              (select min(due_date)::timestamptz from fleet_emi_instalments where status = 'overdue') as oldest_overdue,
              (select count(*)::int from fleet_batteries where status = 'inactive') as batteries_disabled,
              (select min(updated_at) from fleet_batteries where status = 'inactive') as oldest_disabled`,
    );
    return {
      loans_overdue: { count: Number(row.loans_overdue), oldest_at: iso(row.oldest_overdue) },
      batteries_disabled: { count: Number(row.batteries_disabled), oldest_at: iso(row.oldest_disabled) },
    };
  }

  /** Loans, newest first, each with its EMI state: instalments paid and overdue, the next due, what is owed now. */
  async loans(filter: { status?: FleetLoanState; overdue?: boolean }, page: Pagination) {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      conds.push('l.status = ?');
      params.push(filter.status);
    }
    if (filter.overdue) conds.push(`exists (select 1 from fleet_emi_instalments o where o.loan_id = l.id and o.status = 'overdue')`);
    const where = conds.length ? `where ${conds.join(' and ')}` : '';
    const exec = executor(this.deps.orm);
    const [{ n }] = await exec(`select count(*)::int as n from fleet_loans l ${where}`, params);
    const rows = await exec(
      `select l.id, l.status, l.principal_paise, l.emi_paise, l.tenure_months, l.disbursed_at, c.id as consumer_id, c.name, b.serial_number, b.status as battery_status,
              count(*) filter (where i.status = 'paid')::int as paid, count(*) filter (where i.status = 'overdue')::int as overdue,
              max(i.overdue_days)::int as days_overdue,
              coalesce(sum(i.emi_paise - i.paid_paise + i.late_fee_paise) filter (where i.status = 'overdue'), 0) as owed_paise,
              to_char(min(i.due_date) filter (where i.status <> 'paid'), 'YYYY-MM-DD') as next_due
         from fleet_loans l join fleet_consumers c on c.id = l.consumer_id join fleet_batteries b on b.id = l.battery_id
         left join fleet_emi_instalments i on i.loan_id = l.id
        ${where} group by l.id, c.id, b.id order by l.id desc limit ? offset ?`,
      [...params, page.page_size, offsetOf(page)],
    );
    return pageOf(rows.map(presentLoan), Number(n), page);
  }
}

function presentLoan(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    status: r.status as string,
    principal_paise: Number(r.principal_paise),
    emi_paise: Number(r.emi_paise),
    tenure_months: Number(r.tenure_months),
    disbursed_at: iso(r.disbursed_at)!,
    consumer: { id: Number(r.consumer_id), name: r.name as string },
    battery: { serial: r.serial_number as string, status: r.battery_status as string },
    emi: {
      paid: Number(r.paid),
      overdue: Number(r.overdue),
      days_overdue: Number(r.days_overdue ?? 0),
      owed_paise: Number(r.owed_paise),
      next_due: (r.next_due as string | null) ?? null,
    },
  };
}
