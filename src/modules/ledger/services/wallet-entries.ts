import type { MikroORM } from '@mikro-orm/postgresql';
import { toInt } from '../../../kernel/money';

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

/**
 * The entries that moved a user's wallet, newest first (ties by id), filtered, the first `limit`
 * of them and how many there are in all.
 */
export async function walletEntries(orm: MikroORM, userId: string, f: WalletEntryFilter, limit: number): Promise<{ rows: WalletEntry[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [userId, f.currency, userId];
  if (f.type) {
    where.push('t.type = ?');
    params.push(f.type);
  }
  if (f.status) {
    where.push('t.status = ?');
    params.push(f.status);
  }
  if (f.from) {
    where.push('t.created_at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    where.push('t.created_at < ?');
    params.push(f.to);
  }
  const entries = `
    select e.id::text id, e.type, case when ${LIVE_REVERSAL} then 'refunded' else 'success' end status, sum(p.amount_minor) amount_minor,
           e.description, e.created_at, ${SORT_KEY} sort_key, e.metadata->>'gateway' gateway
    from journal_entries e
    join journal_postings p on p.entry_id = e.id
    join ledger_accounts a on a.id = p.account_id and a.owner_type = 'user' and a.owner_id = ? and a.kind = 'wallet' and a.currency = ?
    where e.user_id = ?
    group by e.id`;
  const filtered = `from (${entries}) t ${where.length ? `where ${where.join(' and ')}` : ''}`;
  const conn = orm.em.getConnection();
  const [{ n }] = await conn.execute(`select count(*) n ${filtered}`, params);
  const rows = await conn.execute(`select t.* ${filtered} order by t.sort_key desc, t.id limit ?`, [...params, limit]);
  return {
    total: toInt(n),
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
