import type { Execute } from './sql';

/** Something that keeps an account open: an active rental, an unpaid due, ... */
export interface ClosureBlocker {
  code: string;
  message: string;
  count: number;
}

export type ClosureCheck = (userId: string, tx: Execute) => Promise<ClosureBlocker | null>;

async function hasColumns(tx: Execute, table: string, columns: string[]): Promise<boolean> {
  const rows = await tx(
    `select column_name from information_schema.columns where table_schema = current_schema() and table_name = ? and column_name in (?)`,
    [table, columns],
  );
  return rows.length === columns.length;
}

/** Counts a user's rows of `table` whose status is not one of `closed`, if that table exists yet. */
function openRowsCheck(table: string, closed: string[], blocker: Omit<ClosureBlocker, 'count'>): ClosureCheck {
  return async (userId, tx) => {
    if (!(await hasColumns(tx, table, ['user_id', 'status']))) return null;
    const [row] = await tx(`select count(*)::int as n from "${table}" where user_id = ? and status not in (?)`, [userId, closed]);
    return row.n > 0 ? { ...blocker, count: row.n } : null;
  };
}

/**
 * Decides whether an account may be erased. Until the rentals and payments issues land there are
 * no such tables, and these default checks pass; they start counting as soon as a `rentals` or
 * `rental_dues` table with `user_id` and `status` exists. Those issues should register their exact
 * rules with `AccountClosureGuard.register(...)` (e.g. a rental in `active`/`overdue`, a due not paid).
 */
export const AccountClosureGuard = {
  checks: [
    openRowsCheck('rentals', ['completed', 'cancelled', 'canceled', 'returned', 'failed', 'refunded', 'closed'],
      { code: 'OPEN_RENTAL', message: 'Return the power bank before deleting the account' }),
    openRowsCheck('rental_dues', ['paid', 'waived', 'cancelled', 'canceled', 'settled', 'closed'],
      { code: 'OPEN_DUE', message: 'Pay outstanding dues before deleting the account' }),
  ] as ClosureCheck[],

  register(check: ClosureCheck): () => void {
    this.checks.push(check);
    return () => { this.checks = this.checks.filter((c) => c !== check); };
  },

  async blockers(userId: string, tx: Execute): Promise<ClosureBlocker[]> {
    const found: ClosureBlocker[] = [];
    for (const check of this.checks) {
      const blocker = await check(userId, tx);
      if (blocker) found.push(blocker);
    }
    return found;
  },
};
