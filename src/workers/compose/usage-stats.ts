import type { MikroORM } from '@mikro-orm/postgresql';
import type { UsageStatsReader } from '../../api/deps';
import { isoOrNull } from '../../kernel/present';
import { executor } from '../../kernel/sql';
import { unreadNotificationCount } from '../../modules/engagement';
import { userContact } from '../../modules/identity';
import { pointsEarned, readWallet } from '../../modules/ledger';
import { topupStats } from '../../modules/payments';
import { rentalCount } from '../../modules/rentals';
import { stationUsage } from '../../modules/stations';

/**
 * `GET /user/analytics/usage-stats`: each module counts what it owns (rentals, top-ups, points,
 * favorites and reports, unread notifications, membership), composed here.
 */
export function createUsageStatsReader(orm: MikroORM, currency: string): UsageStatsReader {
  return async (userId) => {
    const tx = executor(orm);
    const user = await userContact(tx, userId);
    const wallet = await readWallet(orm, userId, currency);
    return {
      rentals: { total: await rentalCount(tx, userId) },
      topups: { ...(await topupStats(tx, userId, currency)), currency },
      points: { balance: wallet.points, earned: await pointsEarned(orm, userId) },
      stations: await stationUsage(tx, userId),
      notifications: { unread: await unreadNotificationCount(tx, userId) },
      member_since: isoOrNull(user?.createdAt),
    };
  };
}
