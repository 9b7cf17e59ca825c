import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor, toInt } from '../../../kernel/money';

export interface LedgerPeriod {
  from?: Date;
  to?: Date;
}

const money = (minor: unknown, currency: string) => ({ amount: formatMinor(toInt(minor), currency), amount_minor: toInt(minor), currency });

/**
 * The finance team's view of the ledger: what the platform's own accounts hold (revenue, fines,
 * gateway clearing, promotions, refunds), what customers hold (wallets: a liability; negative
 * wallets: dues receivable; points outstanding), the movements of a period by entry type, and
 * the ledger's invariants, which must all read zero.
 */
export class LedgerReportService {
  constructor(private readonly orm: MikroORM) {}

  private get conn() {
    return this.orm.em.getConnection();
  }

  /** `currency`: the product whose customer wallets and dues are summed (platform accounts are listed in every currency). */
  async summary(currency: string, period: LedgerPeriod = {}) {
    const [from, to] = [period.from ?? new Date(0), period.to ?? new Date('9999-12-31T00:00:00Z')];
    const accounts = await this.conn.execute(
      `select a.owner_type, a.owner_id, a.kind, a.currency, a.balance_minor,
              coalesce((select sum(p.amount_minor) from journal_postings p join journal_entries e on e.id = p.entry_id
                        where p.account_id = a.id and e.created_at >= ? and e.created_at < ?), 0) as period_minor
       from ledger_accounts a where a.owner_type <> 'user' order by a.owner_type, a.kind, a.owner_id, a.currency`,
      [from, to],
    );
    const [users] = await this.conn.execute(
      `select coalesce(sum(balance_minor) filter (where kind = 'wallet' and balance_minor > 0), 0) as held,
              coalesce(-sum(balance_minor) filter (where kind = 'wallet' and balance_minor < 0), 0) as dues,
              count(*) filter (where kind = 'wallet' and balance_minor < 0) as debtors,
              coalesce(sum(balance_minor) filter (where kind = 'points'), 0) as points
       from ledger_accounts where owner_type = 'user' and (kind = 'points' or currency = ?)`,
      [currency],
    );
    const byType = await this.conn.execute(
      `select e.type, count(distinct e.id) as entries,
              coalesce(sum(p.amount_minor) filter (where a.owner_type = 'user' and a.kind = 'wallet' and a.currency = ?), 0) as wallet_minor
       from journal_entries e join journal_postings p on p.entry_id = e.id join ledger_accounts a on a.id = p.account_id
       where e.created_at >= ? and e.created_at < ? group by e.type order by e.type`,
      [currency, from, to],
    );
    return {
      period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null },
      platform_accounts: accounts.map((a) => ({
        owner: `${a.owner_type}:${a.owner_id}`,
        kind: String(a.kind),
        balance: money(a.balance_minor, a.currency),
        period_movement: money(a.period_minor, a.currency),
      })),
      customers: {
        wallets_held: money(users.held, currency),
        dues_receivable: money(users.dues, currency),
        customers_with_dues: toInt(users.debtors),
        points_outstanding: toInt(users.points),
      },
      entries_by_type: byType.map((t) => ({ type: String(t.type), entries: toInt(t.entries), customer_wallet_movement: money(t.wallet_minor, currency) })),
      checks: await this.checks(),
    };
  }

  /** Each must be zero: entries that do not balance per currency, currencies whose postings do not sum to zero, accounts whose balance differs from their postings. */
  async checks() {
    const [row] = await this.conn.execute(
      `select (select count(*) from (select 1 from journal_postings group by entry_id, currency having sum(amount_minor) <> 0) u) as unbalanced_entries,
              (select count(*) from (select 1 from journal_postings group by currency having sum(amount_minor) <> 0) t) as unbalanced_currencies,
              (select count(*) from (select a.id from ledger_accounts a left join journal_postings p on p.account_id = a.id
                                     group by a.id, a.balance_minor having a.balance_minor <> coalesce(sum(p.amount_minor), 0)) d) as balance_drift`,
    );
    const checks = {
      unbalanced_entries: toInt(row.unbalanced_entries),
      unbalanced_currencies: toInt(row.unbalanced_currencies),
      balance_drift: toInt(row.balance_drift),
    };
    return { ...checks, ok: Object.values(checks).every((n) => n === 0) };
  }
}
