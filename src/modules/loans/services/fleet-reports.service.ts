import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { periodOfDays } from '../../../kernel/period';
import { executor } from '../../../kernel/sql';
import { ledgerAnalytics } from '../../ledger';
import { dealerScope, requireRole, type FleetCaller } from './access';

const rupees = (paise: unknown) => Number(paise ?? 0) / 100;
const TZ = 'Asia/Kolkata';

/** The NBFC portfolio, the dealer dashboard and the collection report (collections read from the ledger). */
export class FleetReportService {
  constructor(private readonly deps: { orm: MikroORM; currency: string }) {}

  private get exec() {
    return executor(this.deps.orm);
  }

  async portfolio(caller: FleetCaller) {
    requireRole(caller, 'admin');
    const apps = await this.exec(`select status, count(*)::int as n from fleet_loan_applications group by status order by status`);
    const trend = await this.exec(
      `select to_char(disbursed_at at time zone ?, 'YYYY-MM') as month, count(*)::int as loans, sum(principal_paise)::bigint as principal from fleet_loans group by 1 order by 1`,
      [TZ],
    );
    const [h] = await this.exec(
      `select count(*)::int as loans, coalesce(sum(principal_paise), 0)::bigint as principal,
              count(*) filter (where status = 'current')::int as current, count(*) filter (where status = 'overdue')::int as overdue,
              count(*) filter (where status = 'disabled')::int as disabled, count(*) filter (where status = 'closed')::int as closed,
              coalesce(sum(principal_paise) filter (where status in ('overdue','disabled')), 0)::bigint as at_risk
         from fleet_loans`,
    );
    return {
      applications: Object.fromEntries(apps.map((a) => [a.status, a.n])),
      disbursement_trend: trend.map((t) => ({ month: t.month, loans: t.loans, principal: rupees(t.principal) })),
      portfolio_health: {
        loans: h.loans,
        principal_disbursed: rupees(h.principal),
        by_status: { current: h.current, overdue: h.overdue, disabled: h.disabled, closed: h.closed },
        portfolio_at_risk_pct: Number(h.principal) ? Math.round((Number(h.at_risk) / Number(h.principal)) * 10000) / 100 : 0,
      },
    };
  }

  async dealerDashboard(caller: FleetCaller) {
    requireRole(caller, 'dealer', 'admin');
    const s = dealerScope(caller);
    const one = async (sql: string) => (await this.exec(sql.replace('$scope', s.sql), s.params))[0];
    const consumers = await one(
      `select count(*)::int as total, count(*) filter (where kyc_status = 'verified')::int as kyc_verified, count(*) filter (where kyc_status in ('pending','submitted'))::int as kyc_pending from fleet_consumers where $scope`,
    );
    const batteries = await one(
      `select count(*)::int as total, count(*) filter (where status = 'active')::int as active, count(*) filter (where owner_id is not null)::int as assigned, round(avg(health_score), 1)::float as avg_health from fleet_batteries where $scope`,
    );
    const finance = await one(
      `select count(*)::int as loans, count(*) filter (where status = 'overdue' or status = 'disabled')::int as overdue_loans, coalesce(sum(principal_paise), 0)::bigint as principal from fleet_loans where $scope`,
    );
    const [paid] = await this.exec(
      `select coalesce(sum(i.paid_paise), 0)::bigint as collected from fleet_emi_instalments i join fleet_loans l on l.id = i.loan_id where ${dealerScope(caller, 'l.dealer_id').sql}`,
      s.params,
    );
    const service = await one(
      `select count(*) filter (where status <> 'resolved')::int as open, count(*) filter (where status = 'resolved')::int as resolved, coalesce(sum(escalations), 0)::int as escalations from fleet_service_tickets where $scope`,
    );
    return {
      consumers,
      batteries: { ...batteries, avg_health: batteries.avg_health ?? null },
      finance: { loans: finance.loans, overdue_loans: finance.overdue_loans, principal: rupees(finance.principal), collected: rupees(paid.collected) },
      service,
    };
  }

  /** Daily collections (the ledger: Razorpay clearing, `emi-collection` entries), overdue analysis, efficiency = collected / due in the period. */
  async collectionReport(caller: FleetCaller, from: string, to: string) {
    requireRole(caller, 'admin');
    if (from > to) throw Errors.validation([{ field: 'query.start_date', message: 'start_date must not be after end_date', code: 'custom' }]);
    const period = await periodOfDays(this.exec, from, to, TZ);
    const lines = (await ledgerAnalytics(this.deps.orm).accountLines(['gateway_clearing'], this.deps.currency, period)).filter(
      (l) => l.source === 'emi-collection',
    );
    const daily = lines.map((l) => ({ date: l.day, collected: rupees(l.inMinor), collected_paise: l.inMinor, payments: l.postings }));
    const collectedPaise = lines.reduce((sum, l) => sum + l.inMinor, 0);
    const [due] = await this.exec(`select coalesce(sum(emi_paise), 0)::bigint as due from fleet_emi_instalments where due_date between ?::date and ?::date`, [
      from,
      to,
    ]);
    const buckets = await this.exec(
      `select case when overdue_days <= 7 then '1-7' when overdue_days <= 30 then '8-30' else '31+' end as bucket, count(*)::int as instalments,
              coalesce(sum(emi_paise - paid_paise + late_fee_paise), 0)::bigint as amount
         from fleet_emi_instalments where status = 'overdue' group by 1 order by 1`,
    );
    return {
      start_date: from,
      end_date: to,
      daily_collections: daily,
      total_collected: rupees(collectedPaise),
      total_collected_paise: collectedPaise,
      total_due_paise: Number(due.due),
      total_due: rupees(due.due),
      collection_efficiency: Number(due.due) ? Math.round((collectedPaise / Number(due.due)) * 10000) / 100 : null,
      overdue_analysis: buckets.map((b) => ({ days_overdue: b.bucket, instalments: b.instalments, amount: rupees(b.amount) })),
    };
  }
}
