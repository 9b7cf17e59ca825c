import type { EntityManager } from '@mikro-orm/postgresql';
import { zeroWalletReader, type WalletReader } from '../../modules/ledger/services/wallet-summary';
import { isoOrNull } from '../../kernel/present';

export interface UsageStats {
  rentals: { total: number };
  topups: { count: number; total_minor: number; currency: 'NPR' };
  points: { balance: number; earned: number };
  stations: { favorites: number; issue_reports: number };
  notifications: { unread: number };
  member_since: string | null;
}

/**
 * A user's usage numbers: favorites, issue reports and notifications; rentals once a
 * `rentals(user_id)` table exists; top-ups from paid payment intents; points earned from the
 * credits to the user's points account in the ledger.
 */
export type UsageStatsReader = (em: EntityManager, userId: string) => Promise<UsageStats>;

async function hasColumn(em: EntityManager, table: string, column: string): Promise<boolean> {
  const rows = await em.getConnection().execute(
    `select 1 from information_schema.columns where table_schema = current_schema() and table_name = ? and column_name = ?`, [table, column]);
  return rows.length > 0;
}

export function createUsageStatsReader(wallet: WalletReader = zeroWalletReader): UsageStatsReader {
  return async (em, userId) => {
    const conn = em.getConnection();
    const [row] = await conn.execute<{ favorites: number; reports: number; unread: number; member_since: Date | null; topups: number; topup_minor: string; points_earned: string }[]>(
      `select (select count(*)::int from station_favorites where user_id = ?) as favorites,
              (select count(*)::int from station_issue_reports where user_id = ?) as reports,
              (select count(*)::int from notifications where user_id = ? and in_app and read_at is null) as unread,
              (select created_at from users where id = ?) as member_since,
              (select count(*)::int from payment_intents where user_id = ? and purpose = 'wallet_topup' and status = 'success') as topups,
              (select coalesce(sum(amount_minor), 0)::bigint from payment_intents where user_id = ? and purpose = 'wallet_topup' and status = 'success') as topup_minor,
              (select coalesce(sum(p.amount_minor), 0)::bigint from journal_postings p join ledger_accounts a on a.id = p.account_id
                 where a.owner_type = 'user' and a.owner_id = ? and a.kind = 'points' and p.amount_minor > 0) as points_earned`,
      [userId, userId, userId, userId, userId, userId, userId]);
    let rentals = 0;
    if (await hasColumn(em, 'rentals', 'user_id')) {
      const [r] = await conn.execute<{ n: number }[]>(`select count(*)::int as n from rentals where user_id = ?`, [userId]);
      rentals = r.n;
    }
    const w = await wallet(em, userId);
    return {
      rentals: { total: rentals },
      topups: { count: row.topups, total_minor: Number(row.topup_minor), currency: 'NPR' },
      points: { balance: w.points, earned: Number(row.points_earned) },
      stations: { favorites: row.favorites, issue_reports: row.reports },
      notifications: { unread: row.unread },
      member_since: isoOrNull(row.member_since),
    };
  };
}
