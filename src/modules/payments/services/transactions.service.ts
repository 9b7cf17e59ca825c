import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMinor, toInt } from '../../../kernel/money';
import { estimatedPageOf, offsetOf, pageArgs } from '../../../kernel/paging';
import { walletEntries, type WalletEntry } from '../../ledger';

export const TRANSACTION_STATUSES = ['pending', 'success', 'failed', 'refunded'] as const;
export const TRANSACTION_TYPES = ['topup', 'rental_charge', 'fine', 'admin_credit', 'refund', 'due_payment'] as const;

export interface TransactionQuery {
  type?: string;
  status?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

type Row = Omit<WalletEntry, 'status'> & { status: string; failureReason: string | null };

const SORT_KEY = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;

/** Newest first, ties by id: the order both lists come in, kept when merging them. */
const newestFirst = (a: Row, b: Row) => (a.sortKey === b.sortKey ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.sortKey < b.sortKey ? 1 : -1);

/**
 * A user's wallet history: every journal entry that moved their wallet (success, or refunded once
 * reversed; from the ledger) plus the top-up intents that have not succeeded (pending or failed).
 * Both lists are sorted the same way, so a page is the merge of each list's first rows.
 */
export class TransactionsService {
  /** `currency`: the wallet whose history this is (the product's). */
  constructor(
    private readonly orm: MikroORM,
    private readonly currency: string,
  ) {}

  async list(userId: string, q: TransactionQuery) {
    const page = pageArgs(q);
    const want = offsetOf(page) + q.pageSize;
    const entries = await walletEntries(this.orm, userId, { ...q, currency: this.currency }, want);
    const intents = await this.unsettledTopups(userId, q, want);
    const rows = [...entries.rows.map((e) => ({ ...e, failureReason: null })), ...intents.rows].sort(newestFirst).slice(offsetOf(page), want);
    return estimatedPageOf(
      rows.map((r) => ({
        id: r.id,
        type: r.type,
        status: r.status,
        amount: formatMinor(r.amountMinor, this.currency),
        amount_minor: r.amountMinor,
        currency: this.currency,
        direction: r.amountMinor >= 0 ? 'credit' : 'debit',
        description: r.description,
        gateway: r.gateway,
        failure_reason: r.status === 'failed' ? r.failureReason : null,
        created_at: r.createdAt.toISOString(),
      })),
      entries.total + intents.total,
      page,
    );
  }

  /** Top-up intents that are not `success` (shown as `pending` or `failed`), filtered like the entries. */
  private async unsettledTopups(userId: string, f: TransactionQuery, limit: number): Promise<{ rows: Row[]; total: number }> {
    if (f.type && f.type !== 'topup') return { rows: [], total: 0 };
    const where = ['user_id = ?', 'currency = ?', `status <> 'success'`];
    const params: unknown[] = [userId, this.currency];
    if (f.status === 'pending') where.push(`status = 'pending'`);
    else if (f.status === 'failed') where.push(`status <> 'pending'`);
    else if (f.status) return { rows: [], total: 0 };
    if (f.from) {
      where.push('created_at >= ?');
      params.push(f.from);
    }
    if (f.to) {
      where.push('created_at < ?');
      params.push(f.to);
    }
    const conn = this.orm.em.getConnection();
    const w = where.join(' and ');
    // The count beside each row (over the whole filtered set, before the limit): one statement, not two.
    const rows = await conn.execute(
      `select id::text id, status, amount_minor, gateway, failure_reason, created_at, ${SORT_KEY} sort_key, count(*) over () n from payment_intents where ${w}
       order by sort_key desc, id::text limit ?`,
      [...params, limit],
    );
    const [{ n } = { n: 0 }] = rows as { n: unknown }[];
    return {
      total: toInt(n),
      rows: rows.map((r: Record<string, unknown>) => ({
        id: String(r.id),
        type: 'topup',
        status: r.status === 'pending' ? 'pending' : 'failed',
        amountMinor: toInt(r.amount_minor),
        description: `Wallet top-up via ${String(r.gateway)}`,
        gateway: String(r.gateway),
        failureReason: (r.failure_reason as string) ?? String(r.status),
        createdAt: new Date(r.created_at as string),
        sortKey: String(r.sort_key),
      })),
    };
  }
}
