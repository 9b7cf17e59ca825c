import type { MikroORM } from '@mikro-orm/postgresql';
import type {
  AdminAnalyticsReader,
  AnalyticsDashboard,
  AnalyticsDays,
  AnalyticsRevenue,
  AnalyticsStations,
  AnalyticsUsers,
} from '../../api/surfaces/chargeghar/schemas/analytics.schemas';
import { formatMinor } from '../../kernel/money';
import { periodOfDays, todayIn, type AnalyticsPeriod } from '../../kernel/period';
import { executor } from '../../kernel/sql';
import { userAnalytics, userCounts } from '../../modules/identity';
import { ledgerAnalytics, type RollupLine } from '../../modules/ledger';
import { rentalAnalytics, rentalKeys } from '../../modules/rentals';
import { stationAnalytics } from '../../modules/stations';

/** The ledger key prefix of rental extensions (`rental-extend:<rentalId>:<n>`). */
const EXTENSION_SOURCE = rentalKeys.extension('x', 1).split(':', 1)[0];

interface Sums {
  rental: number;
  extensions: number;
  fines: number;
  refunds: number;
}
const zero = (): Sums => ({ rental: 0, extensions: 0, fines: 0, refunds: 0 });

/** Adds one rollup line to its source: fines account in → fines; extensions; other revenue in → rental charges; anything out → refunds. */
function add(s: Sums, l: RollupLine): Sums {
  if (l.kind === 'fines') s.fines += l.inMinor;
  else if (l.source === EXTENSION_SOURCE) s.extensions += l.inMinor;
  else s.rental += l.inMinor;
  s.refunds -= l.outMinor;
  return s;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null);

function readers(orm: MikroORM, currency: string, timeZone: string) {
  const q = executor(orm);
  const money = (minor: number) => ({ amount: formatMinor(minor, currency), amount_minor: minor, currency });
  return {
    q,
    currency,
    ledger: ledgerAnalytics(orm),
    rentals: rentalAnalytics(q),
    stations: stationAnalytics(q),
    shown: (p: AnalyticsPeriod) => ({ from: p.from, to: p.to, time_zone: timeZone }),
    money,
    breakdown: (s: Sums) => ({
      rental_charges: money(s.rental),
      extensions: money(s.extensions),
      fines: money(s.fines),
      refunds: money(s.refunds),
      net: money(s.rental + s.extensions + s.fines - s.refunds),
    }),
  };
}
type Readers = ReturnType<typeof readers>;

async function dashboard(r: Readers, p: AnalyticsPeriod): Promise<AnalyticsDashboard> {
  const [lines, topups, dues, users, rented, counts] = await Promise.all([
    r.ledger.revenueLines(r.currency, p),
    r.ledger.topups(r.currency, p),
    r.ledger.duesOutstanding(r.currency),
    userCounts(r.q, p),
    r.rentals.summary(p),
    r.stations.counts(),
  ]);
  return {
    period: r.shown(p),
    users: { total: users.total, new_in_period: users.new_in_period, active_in_period: rented.renters },
    rentals: { open_now: rented.open_now, in_period: rented.in_period, failed_ejects: rented.failed_ejects },
    revenue: r.breakdown(lines.reduce(add, zero())),
    topups: { count: topups.count, total: r.money(topups.totalMinor) },
    dues_outstanding: { total: r.money(dues.totalMinor), users: dues.users },
    stations: counts,
  };
}

async function revenue(r: Readers, p: AnalyticsPeriod): Promise<AnalyticsRevenue> {
  const lines = await r.ledger.revenueLines(r.currency, p);
  const byDay = new Map<string, Sums>();
  const byMonth = new Map<string, Sums>();
  for (const l of lines) {
    add(byDay.get(l.day) ?? byDay.set(l.day, zero()).get(l.day)!, l);
    const month = l.day.slice(0, 7);
    add(byMonth.get(month) ?? byMonth.set(month, zero()).get(month)!, l);
  }
  return {
    period: r.shown(p),
    totals: r.breakdown(lines.reduce(add, zero())),
    daily: [...byDay].map(([day, s]) => ({ day, ...r.breakdown(s) })),
    monthly: [...byMonth].map(([month, s]) => ({ month, ...r.breakdown(s) })),
  };
}

async function users(r: Readers, p: AnalyticsPeriod): Promise<AnalyticsUsers> {
  const [u, rented] = await Promise.all([userAnalytics(r.q, p), r.rentals.summary(p)]);
  return {
    period: r.shown(p),
    growth: {
      total: u.total,
      at_period_start: u.at_period_start,
      new_in_period: u.new_in_period,
      growth_percent: pct(u.new_in_period, u.at_period_start),
      new_by_day: u.new_by_day,
    },
    accounts: { active: u.active_accounts, inactive: u.inactive_accounts },
    engagement: { active_renters: rented.renters, rentals: rented.in_period, renters_by_day: rented.by_day },
    retention: { ...rented.retention, rate_percent: pct(rented.retention.returned_this_period, rented.retention.previous_period_renters) },
    kyc_funnel: u.kyc_funnel,
  };
}

async function stations(r: Readers, p: AnalyticsPeriod): Promise<AnalyticsStations> {
  const [list, usage, counts] = await Promise.all([r.stations.perStation(p), r.rentals.perStation(p), r.stations.counts()]);
  const rows = list.map((s) => {
    const u = usage.get(s.sn) ?? { rentals: 0, rentalMinutes: 0, failedEjects: 0 };
    return {
      id: s.id,
      serial_number: s.sn,
      name: s.name,
      online: s.online,
      maintenance: s.maintenance,
      slot_count: s.slotCount,
      power_banks_in: s.powerBanksIn,
      rentals: u.rentals,
      rental_minutes: u.rentalMinutes,
      utilisation_percent: pct(u.rentalMinutes, s.slotCount * s.observedMinutes) ?? 0,
      availability_percent: pct(s.observedMinutes - s.offlineMinutes, s.observedMinutes) ?? 100,
      offline_minutes: s.offlineMinutes,
      failed_ejects: u.failedEjects,
    };
  });
  return {
    period: r.shown(p),
    summary: { ...counts, rentals: rows.reduce((a, x) => a + x.rentals, 0), failed_ejects: rows.reduce((a, x) => a + x.failed_ejects, 0) },
    stations: rows,
  };
}

/**
 * `GET /admin/analytics/*`: each module counts what it owns over the same period of whole days in
 * the product's time zone; money comes only from the ledger's rollup, which equals the journal.
 */
export function createAdminAnalytics(orm: MikroORM, currency: string, timeZone: string): AdminAnalyticsReader {
  const r = readers(orm, currency, timeZone);
  const period = (d: AnalyticsDays) => periodOfDays(r.q, d.from, d.to, timeZone);
  return {
    today: () => todayIn(r.q, timeZone),
    dashboard: async (d) => dashboard(r, await period(d)),
    revenue: async (d) => revenue(r, await period(d)),
    users: async (d) => users(r, await period(d)),
    stations: async (d) => stations(r, await period(d)),
  };
}
