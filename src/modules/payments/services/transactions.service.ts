import { formatMinor, toInt } from '../../../kernel/money';
import type { LedgerService } from '../../ledger/services/ledger.service';
import { offsetOf, pageArgs, pageOf } from '../../../api/http/pagination';

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

/**
 * A user's wallet history: every journal entry that moved their wallet (success, or refunded
 * once reversed) plus top-up intents that have not succeeded (pending or failed).
 */
export class TransactionsService {
  constructor(private readonly ledger: LedgerService) {}

  async list(userId: string, q: TransactionQuery) {
    const conn = this.ledger.orm.em.getConnection();
    const union = `
      select e.id::text id, e.type, case when r.id is null then 'success' else 'refunded' end status,
             sum(p.amount_minor) amount_minor, e.description, e.created_at, e.metadata->>'gateway' gateway, null::text failure_reason
      from journal_entries e
      join journal_postings p on p.entry_id = e.id
      join ledger_accounts a on a.id = p.account_id and a.owner_type = 'user' and a.owner_id = ? and a.kind = 'wallet'
      left join journal_entries r on r.reverses_entry_id = e.id
      where e.user_id = ?
      group by e.id, r.id
      union all
      select i.id::text, 'topup', case when i.status = 'pending' then 'pending' else 'failed' end, i.amount_minor,
             'Wallet top-up via ' || i.gateway, i.created_at, i.gateway, coalesce(i.failure_reason, i.status)
      from payment_intents i where i.user_id = ? and i.status <> 'success'`;
    const where: string[] = [];
    const params: unknown[] = [userId, userId, userId];
    if (q.type) { where.push('t.type = ?'); params.push(q.type); }
    if (q.status) { where.push('t.status = ?'); params.push(q.status); }
    if (q.from) { where.push('t.created_at >= ?'); params.push(q.from); }
    if (q.to) { where.push('t.created_at < ?'); params.push(q.to); }
    const filtered = `from (${union}) t ${where.length ? `where ${where.join(' and ')}` : ''}`;
    const [{ n }] = await conn.execute(`select count(*) n ${filtered}`, params);
    const rows = await conn.execute(`select t.* ${filtered} order by t.created_at desc, t.id limit ? offset ?`, [...params, q.pageSize, offsetOf(pageArgs(q))]);
    return pageOf(rows.map((r: Record<string, unknown>) => ({
        id: String(r.id), type: String(r.type), status: String(r.status),
        amount: formatMinor(toInt(r.amount_minor)), amount_minor: toInt(r.amount_minor), currency: 'NPR',
        direction: toInt(r.amount_minor) >= 0 ? 'credit' : 'debit',
        description: (r.description as string) ?? null, gateway: (r.gateway as string) ?? null,
        failure_reason: r.status === 'failed' ? (r.failure_reason as string) : null,
        created_at: new Date(r.created_at as string).toISOString(),
      })), toInt(n), pageArgs(q));
  }
}
