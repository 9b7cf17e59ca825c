import type { MikroORM } from '@mikro-orm/postgresql';
import type { AdminUserDetailReader } from '../../api/deps';
import { executor } from '../../kernel/sql';
import { UserAdminService } from '../../modules/identity';
import { readWallet } from '../../modules/ledger';
import { TransactionsService } from '../../modules/payments';
import { rentalCount } from '../../modules/rentals';

/**
 * `GET /admin/users/{id}`: identity's account, profile, KYC, devices and sessions, the ledger's
 * wallet, points and dues, the rentals count and the latest wallet transactions, each read by the
 * module that owns it.
 */
export function createAdminUserDetailReader(orm: MikroORM, currency: string): AdminUserDetailReader {
  const users = new UserAdminService({ orm });
  const transactions = new TransactionsService(orm, currency);
  return async (userId) => {
    const detail = await users.detail(userId);
    const wallet = await readWallet(orm, userId, currency);
    const recent = await transactions.list(userId, { page: 1, pageSize: 10 });
    return {
      ...detail,
      wallet: { currency, balance: wallet.balance, balance_minor: wallet.balance_minor },
      points: { balance: wallet.points, value: wallet.points_value },
      dues: { amount: wallet.due, amount_minor: wallet.due_minor },
      rentals: { total: await rentalCount(executor(orm), userId) },
      recent_transactions: recent.results,
    };
  };
}
