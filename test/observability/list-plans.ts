import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { UserDirectoryService } from '../../src/modules/identity/services/user-directory.service';
import { TransactionsService } from '../../src/modules/payments/services/transactions.service';
import { RentalReadService } from '../../src/modules/rentals/services/rental-read.service';
import { StationAdminService } from '../../src/modules/stations/services/station-admin.service';
import { StationQueryService } from '../../src/modules/stations/services/station-query.service';
import { RentalReviewService } from '../../src/modules/rentals/services/rental-review.service';
import { RefundService } from '../../src/modules/payments/services/refund.service';
import { KycService } from '../../src/modules/identity/services/kyc.service';
import { AuditLogService } from '../../src/modules/audit/services/audit-log.service';

/** Tables that grow with the business (100k stations, 1M rentals, 1M journal entries): a list must not read them whole. */
export const LARGE_TABLES = ['stations', 'slots', 'rentals', 'journal_entries', 'journal_postings', 'users', 'payment_intents'];

/**
 * The statements each list endpoint's service runs (stations by name and newest, nearby, a rider's
 * rentals history (first and a deep page) and transactions, the admin station, user, rental review,
 * refund, KYC and audit/error log lists), captured from MikroORM's
 * query log with their parameters inlined.
 */
export async function listStatements(config: Config, userId: string): Promise<string[]> {
  const logged: string[] = [];
  const orm: MikroORM = await initOrm(config.DATABASE_URL, {
    pool: { min: 0, max: 2 },
    debug: ['query', 'query-params'],
    colors: false,
    logger: (line: string) => logged.push(line),
  });
  try {
    const page = { page: 1, page_size: 20 };
    const stations = new StationQueryService({ orm, minBatteryPercent: 20 });
    await stations.list({ ...page, ordering: 'name' });
    await stations.list({ ...page, ordering: 'newest' });
    await stations.nearby({ ...page, lat: 27.7172, lng: 85.324, radius: 3000 });
    await new RentalReadService({ orm, config }).history(userId, page);
    await new TransactionsService(orm, 'NPR').list(userId, { page: 1, pageSize: 20 });
    await new StationAdminService({ orm, minBatteryPercent: 20, openRentalBays: async () => [] }).list(page);
    await new UserDirectoryService({ orm }).list({ ...page, ordering: 'newest' });
    // The admin lists (rentals under review, refunds, KYC, audit and error logs) and a rider's deep page.
    await new RentalReadService({ orm, config }).history(userId, { page: 40, page_size: 20 });
    await new RentalReviewService({ orm }).list({ ...page, open: true });
    const refunds = new RefundService({ orm, config, temporal: undefined as never }); // list() reads rows only
    await refunds.list({ status: 'pending', page: 1, pageSize: 20 });
    await refunds.list({ userId, page: 1, pageSize: 20 });
    await new KycService({ orm, notifications: undefined as never }).list({ ...page, status: 'pending', ordering: 'oldest' }); // list() notifies no one
    await new AuditLogService({ orm }).list({ ...page, kind: 'admin_action' });
    await new AuditLogService({ orm }).list({ ...page, kind: 'error' });
  } finally {
    await orm.close();
  }
  return (
    logged
      // eslint-disable-next-line no-control-regex
      .map((l) => /\[query\] (.*?)( \[took [^\]]*\])?$/s.exec(l.replace(/\u001b\[[0-9;]*m/g, ''))?.[1])
      .filter((sql): sql is string => !!sql && /^\s*(select|with)\b/i.test(sql))
  );
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

/** The large tables a plan reads by a sequential scan. */
export function seqScannedLargeTables(plan: PlanNode): string[] {
  const own = plan['Node Type'] === 'Seq Scan' && LARGE_TABLES.includes(plan['Relation Name'] ?? '') ? [plan['Relation Name']!] : [];
  return [...own, ...(plan.Plans ?? []).flatMap(seqScannedLargeTables)];
}
