import type { Execute } from '../../../kernel/sql';
import { toInt } from '../../../kernel/money';

/** How many top-ups a user made and their sum, for their usage numbers. */
export async function topupStats(tx: Execute, userId: string, currency: string): Promise<{ count: number; total_minor: number }> {
  const [row] = await tx(
    `select count(*)::int as n, coalesce(sum(amount_minor), 0)::bigint as total from payment_intents where user_id = ? and currency = ? and purpose = 'wallet_topup' and status = 'success'`,
    [userId, currency],
  );
  return { count: row.n, total_minor: toInt(row.total) };
}
