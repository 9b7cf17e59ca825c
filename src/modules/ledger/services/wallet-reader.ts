import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMinor, toInt } from '../../../kernel/money';
import { pointsToMinor } from '../rules/points-rules';
import type { WalletReader, WalletSummary } from './wallet-summary';

/**
 * The ledger's `WalletReader` for `GET /api/user/wallet` and `/api/users/wallet` (ApiDeps.wallet):
 * the wallet account's balance (a negative balance is an unpaid due, shown as `due`) and points.
 * Same numbers as `LedgerService.walletSummary`.
 */
export const ledgerWalletReader: WalletReader = async (em: EntityManager, userId: string) => {
  const rows: { kind: string; balance_minor: string }[] = await em.getConnection().execute(
    `select kind, balance_minor from ledger_accounts where owner_type = 'user' and owner_id = ? and kind in ('wallet', 'points') and currency in ('NPR', 'PTS')`, [userId]);
  const wallet = toInt(rows.find((r) => r.kind === 'wallet')?.balance_minor);
  const points = toInt(rows.find((r) => r.kind === 'points')?.balance_minor);
  const summary: WalletSummary & Record<string, unknown> = {
    currency: 'NPR', balance: formatMinor(Math.max(0, wallet)), balance_minor: Math.max(0, wallet), points,
    due: formatMinor(Math.max(0, -wallet)), due_minor: Math.max(0, -wallet), points_value: formatMinor(pointsToMinor(points)),
  };
  return summary;
};
