import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { formatMinor, toInt } from '../../../kernel/money';
import { UNRETURNED_AFTER_FAILURE_SQL } from '../rules/review';
import { OPEN_STATUS_SQL } from '../rules/status';
import { isKycApproved, isProfileComplete } from '../../identity';
import { LedgerService } from '../../ledger';

/** What a user owes: unpaid rental dues (rentals.payment_status = 'due') and a negative wallet. */
export async function outstandingDues(orm: MikroORM, userId: string, currency: string): Promise<{ dueMinor: number; rentalIds: string[] }> {
  const conn = orm.em.getConnection();
  const rows = await conn.execute(`select id, due_minor from rentals where user_id = ? and payment_status = 'due' order by created_at`, [userId]);
  const { walletMinor } = await new LedgerService(orm).balances(userId, currency);
  const rentalDue = rows.reduce((s: number, r: Record<string, unknown>) => s + toInt(r.due_minor), 0);
  return { dueMinor: Math.max(rentalDue, -Math.min(0, walletMinor)), rentalIds: rows.map((r: Record<string, unknown>) => String(r.id)) };
}

/**
 * Seed 001 prerequisites that belong to the user, in the order the app fixes them: profile,
 * KYC, dues, then one rental at a time. (Logged in is the route's auth.) The reads run side by
 * side (the start request's wall time, issue 16); the first unmet one in that order is the answer.
 */
export async function assertUserCanRent(orm: MikroORM, userId: string, currency: string): Promise<void> {
  const conn = orm.em.getConnection();
  const [profileComplete, kycApproved, dues, [open], [held]] = await Promise.all([
    isProfileComplete(orm, userId),
    isKycApproved(orm, userId),
    outstandingDues(orm, userId, currency),
    conn.execute(`select id, status from rentals where user_id = ? and status in (${OPEN_STATUS_SQL}) limit 1`, [userId]),
    conn.execute(`select id, power_bank_sn from rentals where user_id = ? and ${UNRETURNED_AFTER_FAILURE_SQL} limit 1`, [userId]),
  ]);
  if (!profileComplete) throw new AppError('PROFILE_INCOMPLETE', 'Complete your profile before renting', 403);
  if (!kycApproved) throw new AppError('KYC_NOT_APPROVED', 'Your KYC must be approved before renting', 403);
  if (dues.dueMinor > 0) {
    throw new AppError('OUTSTANDING_DUES', 'Pay your outstanding dues before renting again', 402, {
      due: formatMinor(dues.dueMinor),
      due_minor: dues.dueMinor,
      rental_ids: dues.rentalIds,
    });
  }
  if (open) throw new AppError('RENTAL_ALREADY_ACTIVE', 'You already have an active rental', 409, { rental_id: open.id, status: open.status });
  if (held) {
    throw new AppError('POWER_BANK_NOT_RETURNED', 'A power bank was released to you although your rental failed: return it to any station first', 409, {
      rental_id: held.id,
      power_bank_sn: held.power_bank_sn,
    });
  }
}
