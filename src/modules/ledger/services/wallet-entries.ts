import type { MikroORM } from '@mikro-orm/postgresql';
import { toInt } from '../../../kernel/money';
import { listTotal } from '../../../kernel/paging';
import { executor } from '../../../kernel/sql';

/** A journal entry as it moved one user's wallet. */
export interface WalletEntry {
  id: string;
  type: string;
  /** `success`, or `refunded` once the entry has been reversed. */
  status: 'success' | 'refunded';
  /** The wallet's change (negative for a debit). */
  amountMinor: number;
  description: string | null;
  gateway: string | null;
  createdAt: Date;
  /** created_at with microseconds as sortable text (`YYYY-MM-DD HH:MM:SS.US`), for merging with other sorted lists. */
  sortKey: string;
}

export interface WalletEntryFilter {
  /** The wallet's currency (a user holds one wallet per product currency). */
  currency: string;
  type?: string;
  status?: string;
  from?: Date;
  to?: Date;
}

/** Entry `e` has a live reversal: one that was not itself reversed (voided, e.g. a refund the gateway refused). */
const LIVE_REVERSAL = `exists (select 1 from journal_entries r where r.reverses_entry_id = e.id
  and not exists (select 1 from journal_entries v where v.reverses_entry_id = r.id))`;

const SORT_KEY = `to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;

/** Wallet account ids by `user:currency`: an account's id never changes, so it is read once per process (bounded). */
const walletIds = new Map<string, string>();
const WALLET_IDS_KEPT = 10_000;

/** The user's wallet account in the currency, if they have one. */
async function walletOf(exec: ReturnType<typeof executor>, userId: string, currency: string): Promise<string | undefined> {
  const key = `${userId}:${currency}`;
  const known = walletIds.get(key);
  if (known) return known;
  const [row] = await exec(`select id from ledger_accounts where owner_type = 'user' and owner_id = ? and kind = 'wallet' and currency = ?`, [
    userId,
    currency,
  ]);
  if (!row) return undefined;
  if (walletIds.size >= WALLET_IDS_KEPT) walletIds.clear();
  walletIds.set(key, String(row.id));
  return String(row.id);
}

/**
 * The statements of walletEntries for the user's wallet account `walletId`: the page (its last
 * parameter: the limit) and the `from` its total is counted over. An entry belongs when one of its
 * postings is on that wallet; its amount is the sum of those postings, computed for the page's entries
 * only (issue 16: every entry of the user was summed and sorted before the page was cut). The wallet is
 * a value, not a subquery: PostgreSQL then knows how many postings it has (a heavy rider's 1,000 made
 * the plan read each posting's row) and reads them from journal_postings_account_id_entry_id_index alone.
 */
export function walletEntriesQuery(userId: string, walletId: string, f: Omit<WalletEntryFilter, 'currency'>, limit: number) {
  const where = ['e.user_id = ?', `exists (select 1 from journal_postings p where p.entry_id = e.id and p.account_id = ?)`];
  const params: unknown[] = [userId, walletId];
  const status = `case when ${LIVE_REVERSAL} then 'refunded' else 'success' end`;
  const add = (sql: string, v: unknown) => {
    if (v === undefined) return;
    where.push(sql);
    params.push(v);
  };
  add('e.type = ?', f.type);
  add(`${status} = ?`, f.status);
  add('e.created_at >= ?', f.from);
  add('e.created_at < ?', f.to);
  const from = `from journal_entries e where ${where.join(' and ')}`;
  return {
    sql: `select e.id::text id, e.type, ${status} status, e.description, e.created_at, ${SORT_KEY} sort_key, e.metadata->>'gateway' gateway,
            (select sum(p.amount_minor) from journal_postings p where p.entry_id = e.id and p.account_id = ?) amount_minor
          ${from} order by e.created_at desc, e.id::text limit ?`,
    // The select list's wallet (the amount) comes before the where clause's parameters.
    params: [walletId, ...params, limit],
    from,
    fromParams: params,
  };
}

/**
 * The entries that moved a user's wallet, newest first (ties by id), filtered, the first `limit`
 * of them and how many there are in all (exact up to EXACT_TOTAL_CAP, else estimated: listTotal).
 */
export async function walletEntries(orm: MikroORM, userId: string, f: WalletEntryFilter, limit: number): Promise<{ rows: WalletEntry[]; total: number }> {
  const exec = executor(orm);
  const walletId = await walletOf(exec, userId, f.currency);
  if (!walletId) return { rows: [], total: 0 };
  const q = walletEntriesQuery(userId, walletId, f, limit);
  const [total, rows] = await Promise.all([listTotal(exec, q.from, q.fromParams), exec(q.sql, q.params)]);
  return {
    total,
    rows: rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      type: String(r.type),
      status: r.status as WalletEntry['status'],
      amountMinor: toInt(r.amount_minor),
      description: (r.description as string) ?? null,
      gateway: (r.gateway as string) ?? null,
      createdAt: new Date(r.created_at as string),
      sortKey: String(r.sort_key),
    })),
  };
}

/** One entry as it moved the user's wallet: the refund checks need its type, amount and whether it was reversed. */
export async function walletEntry(orm: MikroORM, userId: string, entryIds: string[]) {
  const [entry] = await orm.em.getConnection().execute(
    `select e.id, e.type, e.reverses_entry_id, e.metadata, a.currency, sum(p.amount_minor) wallet_delta,
            ${LIVE_REVERSAL} reversed
     from journal_entries e
     join journal_postings p on p.entry_id = e.id
     join ledger_accounts a on a.id = p.account_id and a.owner_type = 'user' and a.owner_id = ? and a.kind = 'wallet'
     where e.user_id = ? and e.id in (?)
     group by e.id, a.currency`,
    [userId, userId, entryIds],
  );
  return entry as
    | {
        id: string;
        type: string;
        reverses_entry_id: string | null;
        metadata: Record<string, unknown> | null;
        currency: string;
        wallet_delta: string;
        reversed: boolean;
      }
    | undefined;
}
