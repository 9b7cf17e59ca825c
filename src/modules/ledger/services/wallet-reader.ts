import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor, toInt } from '../../../kernel/money';
import { pointsToMinor } from '../rules/points-rules';

/** `GET /api/user/wallet`: the wallet (a negative balance is an unpaid due, shown as `due`) and points. */
export interface WalletSummary {
  currency: string;
  /** Major units with two decimals, e.g. "120.50". */
  balance: string;
  balance_minor: number;
  points: number;
  due: string;
  due_minor: number;
  points_value: string;
}

/** Reads the user's wallet and points accounts (one query). Same numbers as `LedgerService.walletSummary`. */
export async function readWallet(orm: MikroORM, userId: string, currency: string): Promise<WalletSummary> {
  const rows: { kind: string; balance_minor: string }[] = await orm.em
    .getConnection()
    .execute(
      `select kind, balance_minor from ledger_accounts where owner_type = 'user' and owner_id = ? and ((kind = 'wallet' and currency = ?) or kind = 'points')`,
      [userId, currency],
    );
  const wallet = toInt(rows.find((r) => r.kind === 'wallet')?.balance_minor);
  const points = toInt(rows.find((r) => r.kind === 'points')?.balance_minor);
  return {
    currency,
    balance: formatMinor(Math.max(0, wallet)),
    balance_minor: Math.max(0, wallet),
    points,
    due: formatMinor(Math.max(0, -wallet)),
    due_minor: Math.max(0, -wallet),
    points_value: formatMinor(pointsToMinor(points)),
  };
}

/** Points a user has earned (every credit to their points account), for their usage numbers. */
export async function pointsEarned(orm: MikroORM, userId: string): Promise<number> {
  const [row] = await orm.em.getConnection().execute(
    `select coalesce(sum(p.amount_minor), 0)::bigint as earned from journal_postings p join ledger_accounts a on a.id = p.account_id
     where a.owner_type = 'user' and a.owner_id = ? and a.kind = 'points' and p.amount_minor > 0`,
    [userId],
  );
  return toInt(row?.earned);
}
