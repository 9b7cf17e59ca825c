import type { MikroORM } from '@mikro-orm/postgresql';
import { toInt } from '../../../kernel/money';
import type { AnalyticsPeriod } from '../../../kernel/period';

export interface RollupLine {
  /** `YYYY-MM-DD` in the period's time zone. */
  day: string;
  /** The platform account: `revenue` or `fines`. */
  kind: string;
  /** The entry key's prefix (`rental-usage`, `rental-extend`, `refund` ...). */
  source: string;
  inMinor: number;
  /** Negative or zero: what left the account (refunds, reversals). */
  outMinor: number;
}

/**
 * Finance figures read from `ledger_rollup`, the journal summed per 15 minutes in the posting's
 * own transaction: equal to the journal for any period of whole days, and fast at any size.
 */
export function ledgerAnalytics(orm: MikroORM) {
  const q = (sql: string, params: unknown[]) => orm.em.getConnection().execute(sql, params);
  const lines = async (kinds: string[], currency: string, p: AnalyticsPeriod) =>
    q(
      `select to_char(r.bucket at time zone ?, 'YYYY-MM-DD') as day, a.kind, r.source, sum(r.in_minor) as in_minor, sum(r.out_minor) as out_minor, sum(r.postings) as postings
       from ledger_rollup r join ledger_accounts a on a.id = r.account_id
       where a.owner_type <> 'user' and a.kind in (${kinds.map(() => '?').join(', ')}) and a.currency = ? and r.bucket >= ? and r.bucket < ?
       group by 1, 2, 3 order by 1, 2, 3`,
      [p.timeZone, ...kinds, currency.toUpperCase(), p.start, p.end],
    );
  return {
    /** The platform's revenue and fines accounts, per day and source. */
    async revenueLines(currency: string, p: AnalyticsPeriod): Promise<RollupLine[]> {
      const rows = await lines(['revenue', 'fines'], currency, p);
      return rows.map((r) => ({
        day: String(r.day),
        kind: String(r.kind),
        source: String(r.source),
        inMinor: toInt(r.in_minor),
        outMinor: toInt(r.out_minor),
      }));
    },

    /** Money that came in through the gateways as top-ups (gateway clearing → wallets, `topup:<intentId>`). */
    async topups(currency: string, p: AnalyticsPeriod): Promise<{ count: number; totalMinor: number }> {
      const rows = (await lines(['gateway_clearing'], currency, p)).filter((r) => r.source === 'topup');
      return { count: rows.reduce((s, r) => s + toInt(r.postings), 0), totalMinor: -rows.reduce((s, r) => s + toInt(r.out_minor), 0) };
    },

    /** Any platform accounts' lines by kind (e.g. `gateway_clearing` with source `emi-collection`: the fleet's EMI collections). */
    async accountLines(kinds: string[], currency: string, p: AnalyticsPeriod): Promise<(RollupLine & { postings: number })[]> {
      const rows = await lines(kinds, currency, p);
      return rows.map((r) => ({
        day: String(r.day),
        kind: String(r.kind),
        source: String(r.source),
        inMinor: toInt(r.in_minor),
        outMinor: toInt(r.out_minor),
        postings: toInt(r.postings),
      }));
    },

    /** What customers owe now (negative wallets in `currency`). */
    async duesOutstanding(currency: string): Promise<{ totalMinor: number; users: number }> {
      const [r] = await q(
        `select coalesce(-sum(balance_minor), 0) as total, count(*) as users from ledger_accounts where kind = 'wallet' and balance_minor < 0 and currency = ?`,
        [currency.toUpperCase()],
      );
      return { totalMinor: toInt(r.total), users: toInt(r.users) };
    },
  };
}
export type LedgerAnalytics = ReturnType<typeof ledgerAnalytics>;
