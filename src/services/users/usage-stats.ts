import type { EntityManager } from '@mikro-orm/postgresql';
import { zeroWalletReader, type WalletReader } from './wallet-reader';

export interface UsageStats {
  rentals: { total: number };
  topups: { count: number; total_minor: number; currency: 'NPR' };
  points: { balance: number; earned: number };
  stations: { favorites: number; issue_reports: number };
  notifications: { unread: number };
  member_since: string | null;
}

/**
 * A user's usage numbers. Counted from the tables that exist: favorites, issue reports and
 * notifications always; rentals once a `rentals(user_id)` table exists. Top-ups and points earned
 * come from the payments issue (replace via ApiDeps.usageStats); zero until then.
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
    const [row] = await conn.execute<{ favorites: number; reports: number; unread: number; member_since: Date | null }[]>(
      `select (select count(*)::int from station_favorites where user_id = ?) as favorites,
              (select count(*)::int from station_issue_reports where user_id = ?) as reports,
              (select count(*)::int from notifications where user_id = ? and in_app and read_at is null) as unread,
              (select created_at from users where id = ?) as member_since`, [userId, userId, userId, userId]);
    let rentals = 0;
    if (await hasColumn(em, 'rentals', 'user_id')) {
      const [r] = await conn.execute<{ n: number }[]>(`select count(*)::int as n from rentals where user_id = ?`, [userId]);
      rentals = r.n;
    }
    const w = await wallet(em, userId);
    return {
      rentals: { total: rentals },
      topups: { count: 0, total_minor: 0, currency: 'NPR' },
      points: { balance: w.points, earned: 0 },
      stations: { favorites: row.favorites, issue_reports: row.reports },
      notifications: { unread: row.unread },
      member_since: row.member_since ? new Date(row.member_since).toISOString() : null,
    };
  };
}
