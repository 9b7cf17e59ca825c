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

  /**
   * Collections in the period from the ledger (Razorpay clearing, by entry source: `emi-collection`,
   * `loan-prepayment`, `loan-foreclosure`), each its own line and all in the totals; late fees charged
   * (`late-fee` on fines); overdue analysis. Efficiency = EMI collections / EMIs due in the period
   * (the demand); `collection_efficiency_incl_prepayments` adds prepayments and foreclosures.
   */
  async collectionReport(caller: FleetCaller, from: string, to: string) {
    requireRole(caller, 'admin');
    if (from > to) throw Errors.validation([{ field: 'query.start_date', message: 'start_date must not be after end_date', code: 'custom' }]);
    const period = await periodOfDays(this.exec, from, to, TZ);
    const analytics = ledgerAnalytics(this.deps.orm);
    const lines = (await analytics.accountLines(['gateway_clearing'], this.deps.currency, period)).filter((l) => Object.hasOwn(COLLECTION_SOURCES, l.source));
    const fees = (await analytics.accountLines(['fines'], this.deps.currency, period)).filter((l) => l.source === 'late-fee');
    const lateFeesPaise = -fees.reduce((sum, l) => sum + l.inMinor + l.outMinor, 0);
    const bySource = collectionsBySource(lines);
    const collectedPaise = lines.reduce((sum, l) => sum + l.inMinor, 0);
    // Due: instalments falling due in the period, less those a foreclosure closed before their due date (never demanded).
    const [due] = await this.exec(
      `select coalesce(sum(i.emi_paise), 0)::bigint as due from fleet_emi_instalments i join fleet_loans l on l.id = i.loan_id
        where i.due_date between ?::date and ?::date and not (i.status = 'closed' and l.closed_at is not null and i.due_date > (l.closed_at at time zone ?)::date)`,
      [from, to, TZ],
    );
    const duePaise = Number(due.due);
    const pct = (paise: number) => (duePaise ? Math.round((paise / duePaise) * 10000) / 100 : null);
    return {
      start_date: from,
      end_date: to,
      daily_collections: dailyCollections(lines),
      collections: bySource,
      total_collected: rupees(collectedPaise),
      total_collected_paise: collectedPaise,
      late_fees_charged: rupees(lateFeesPaise),
      late_fees_charged_paise: lateFeesPaise,
      total_due_paise: duePaise,
      total_due: rupees(duePaise),
      collection_efficiency: pct(bySource.emi.amount_paise),
      collection_efficiency_incl_prepayments: pct(collectedPaise),
      overdue_analysis: await this.overdueBuckets(),
    };
  }

  private async overdueBuckets() {
    const buckets = await this.exec(
      `select case when overdue_days <= 7 then '1-7' when overdue_days <= 30 then '8-30' else '31+' end as bucket, count(*)::int as instalments,
              coalesce(sum(emi_paise - paid_paise + late_fee_paise), 0)::bigint as amount
         from fleet_emi_instalments where status = 'overdue' group by 1 order by 1`,
    );
    return buckets.map((b) => ({ days_overdue: b.bucket, instalments: b.instalments, amount: rupees(b.amount) }));
  }
}

/** The ledger sources of money collected, by the report's name for each. */
const COLLECTION_SOURCES = { 'emi-collection': 'emi', 'loan-prepayment': 'prepayment', 'loan-foreclosure': 'foreclosure' } as const;
type CollectionKind = (typeof COLLECTION_SOURCES)[keyof typeof COLLECTION_SOURCES];
type CollectionLine = { day: string; source: string; inMinor: number; postings: number };
const kindOf = (l: CollectionLine) => COLLECTION_SOURCES[l.source as keyof typeof COLLECTION_SOURCES];

function collectionsBySource(lines: CollectionLine[]) {
  const out = {} as Record<CollectionKind, { amount: number; amount_paise: number; payments: number }>;
  for (const kind of Object.values(COLLECTION_SOURCES)) {
    const mine = lines.filter((l) => kindOf(l) === kind);
    const paise = mine.reduce((sum, l) => sum + l.inMinor, 0);
    out[kind] = { amount: rupees(paise), amount_paise: paise, payments: mine.reduce((sum, l) => sum + l.postings, 0) };
  }
  return out;
}

/** One row per day: everything collected that day, and how much of it was EMIs, prepayments and foreclosures. */
function dailyCollections(lines: CollectionLine[]) {
  const days = [...new Set(lines.map((l) => l.day))].sort();
  return days.map((date) => {
    const today = lines.filter((l) => l.day === date);
    const paise = (kind: CollectionKind) => today.filter((l) => kindOf(l) === kind).reduce((sum, l) => sum + l.inMinor, 0);
    const collected = today.reduce((sum, l) => sum + l.inMinor, 0);
    return {
      date,
      collected: rupees(collected),
      collected_paise: collected,
      payments: today.reduce((sum, l) => sum + l.postings, 0),
      emi_paise: paise('emi'),
      prepayment_paise: paise('prepayment'),
      foreclosure_paise: paise('foreclosure'),
    };
  });
}
