import type { Execute } from '../../../kernel/sql';
import type { PostingInput } from '../rules/accounts';

/** The rollup's source of an entry: its key's prefix (`rental-usage:<id>` → `rental-usage`); the migration's backfill uses `split_part(key, ':', 1)`. */
export const rollupSource = (key: string): string => key.split(':', 1)[0].slice(0, 64);

/**
 * Adds an entry's platform-side lines (system and gateway accounts) to `ledger_rollup`, in the
 * entry's transaction and at its `now()` (the entry's created_at), so the rollup always equals the
 * journal. Those accounts are already locked by the entry, so the upsert adds no contention.
 */
export async function rollUp(q: Execute, key: string, lines: { accountId: string; p: PostingInput }[]): Promise<void> {
  const sums = new Map<string, { in: number; out: number; n: number }>();
  for (const { accountId, p } of lines) {
    if (p.account.ownerType === 'user') continue;
    const s = sums.get(accountId) ?? { in: 0, out: 0, n: 0 };
    if (p.amountMinor > 0) s.in += p.amountMinor;
    else s.out += p.amountMinor;
    s.n++;
    sums.set(accountId, s);
  }
  if (!sums.size) return;
  const values = Array.from({ length: sums.size }, () => '(?, ?, ?, ?, ?)').join(', ');
  await q(
    `insert into ledger_rollup (bucket, account_id, source, in_minor, out_minor, postings)
     select date_bin('15 minutes', now(), timestamptz '2000-01-01 00:00:00+00'), v.account_id::uuid, v.source, v.in_minor::bigint, v.out_minor::bigint, v.n::int
     from (values ${values}) as v (account_id, source, in_minor, out_minor, n)
     on conflict (bucket, account_id, source) do update set in_minor = ledger_rollup.in_minor + excluded.in_minor,
       out_minor = ledger_rollup.out_minor + excluded.out_minor, postings = ledger_rollup.postings + excluded.postings`,
    [...sums].flatMap(([accountId, v]) => [accountId, rollupSource(key), v.in, v.out, v.n]),
  );
}
