import { UNRETURNED_AFTER_FAILURE_SQL } from '../rules/review';
import { OPEN_RENTAL_STATUSES } from '../rules/status';
import { AccountClosureGuard } from '../../identity/services/account-closure.guard';

/**
 * The rentals module's answer to "may this account be erased?": not while a rental is open (the
 * power bank is out), nor while a power bank released after a failed rental is still out, and not while a due is unpaid (a rental marked `due`, or a negative wallet).
 */
let registered = false;
export function registerRentalClosureChecks(): void {
  if (registered) return;
  registered = true;
  AccountClosureGuard.register(async (userId, tx) => {
    const [row] = await tx(`select count(*)::int as n from rentals where user_id = ? and status in (?)`, [userId, [...OPEN_RENTAL_STATUSES]]);
    return row.n > 0 ? { code: 'OPEN_RENTAL', message: 'Return the power bank before deleting the account', count: row.n } : null;
  });
  AccountClosureGuard.register(async (userId, tx) => {
    const [row] = await tx(`select count(*)::int as n from rentals where user_id = ? and ${UNRETURNED_AFTER_FAILURE_SQL}`, [userId]);
    return row.n > 0 ? { code: 'UNRETURNED_POWER_BANK', message: 'Return the power bank released to you before deleting the account', count: row.n } : null;
  });
  AccountClosureGuard.register(async (userId, tx) => {
    const [row] = await tx(
      `select (select count(*)::int from rentals where user_id = ? and payment_status = 'due') as dues,
              (select count(*)::int from ledger_accounts where owner_type = 'user' and owner_id = ? and kind = 'wallet' and balance_minor < 0) as negative`,
      [userId, userId]);
    const n = Math.max(row.dues, row.negative);
    return n > 0 ? { code: 'OPEN_DUE', message: 'Pay outstanding dues before deleting the account', count: n } : null;
  });
}
