import type { MikroORM } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';
import { LedgerService } from '../../ledger';
import { UNRETURNED_AFTER_FAILURE_SQL } from '../rules/review';
import { OPEN_RENTAL_STATUSES } from '../rules/status';

type Blocker = { code: string; message: string; count: number } | null;

/**
 * The rentals module's answer to "may this account be erased?" (identity's closure guard, wired
 * by src/workers): not while a rental is open (the power bank is out), nor while a power bank
 * released after a failed rental is still out, and not while a due is unpaid (a rental marked
 * `due`, or a negative wallet).
 */
export function rentalClosureChecks(orm: MikroORM): ((userId: string, tx: Execute) => Promise<Blocker>)[] {
  const ledger = new LedgerService(orm);
  return [
    async (userId, tx) => {
      const [row] = await tx(`select count(*)::int as n from rentals where user_id = ? and status in (?)`, [userId, [...OPEN_RENTAL_STATUSES]]);
      return row.n > 0 ? { code: 'OPEN_RENTAL', message: 'Return the power bank before deleting the account', count: row.n } : null;
    },
    async (userId, tx) => {
      const [row] = await tx(`select count(*)::int as n from rentals where user_id = ? and ${UNRETURNED_AFTER_FAILURE_SQL}`, [userId]);
      return row.n > 0 ? { code: 'UNRETURNED_POWER_BANK', message: 'Return the power bank released to you before deleting the account', count: row.n } : null;
    },
    async (userId, tx) => {
      const [row] = await tx(`select count(*)::int as dues from rentals where user_id = ? and payment_status = 'due'`, [userId]);
      const n = Math.max(row.dues, (await ledger.hasNegativeWallet(userId, tx)) ? 1 : 0);
      return n > 0 ? { code: 'OPEN_DUE', message: 'Pay outstanding dues before deleting the account', count: n } : null;
    },
  ];
}
