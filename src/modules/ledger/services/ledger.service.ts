import type { MikroORM } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';
import { accountKey, assertBalanced, isGuarded, userPoints, userWallet, type AccountRef, type PostingInput } from '../rules/accounts';
import type { EntryType } from '../entities/journal-entry.entity';
import { formatMinor, toInt } from '../../../kernel/money';
import { pointsToMinor } from '../rules/points-rules';
import { LedgerErrors } from './errors';
import { rollUp } from './ledger-rollup';

export interface PostEntryInput {
  key: string;
  type: EntryType;
  userId?: string | null;
  description?: string;
  metadata?: Record<string, unknown>;
  createdBy?: string | null;
  reversesEntryId?: string | null;
  /** Set by `reverse`: how many earlier reversals of that entry were voided. */
  reversalSeq?: number;
  postings: PostingInput[];
}

export interface PostedLine {
  accountId: string;
  ownerType: string;
  ownerId: string;
  kind: string;
  currency: string;
  amountMinor: number;
  balanceAfterMinor: number;
}
export interface PostedEntry {
  id: string;
  key: string;
  type: string;
  userId: string | null;
  createdAt: Date;
  description: string | null;
  metadata: Record<string, unknown> | null;
  createdBy: string | null;
  reversesEntryId: string | null;
  /** False when the key had been applied before: this is the first application's entry. */
  applied: boolean;
  postings: PostedLine[];
}

class AlreadyApplied extends Error {}

/** Raw SQL bound to a transaction (or none). */
export type Sql = Execute;

const placeholders = (n: number, each = '?') => Array.from({ length: n }, () => each).join(', ');

/**
 * The double-entry journal. `post` is idempotent on the entry's key, keeps account balances in
 * the same transaction, and locks the touched accounts (`FOR UPDATE`, ordered by id) so that
 * concurrent debits queue up instead of spending the same balance twice.
 */
export class LedgerService {
  constructor(readonly orm: MikroORM) {}

  private get conn() {
    return this.orm.em.getConnection();
  }
  private sql(trx?: unknown): Sql {
    return (sql, params = []) => this.conn.execute(sql, params, 'all', trx as never);
  }

  /** Finds or creates accounts; returns their ids by account key. */
  async ensureAccounts(refs: AccountRef[], q: Sql = this.sql()): Promise<Map<string, string>> {
    const unique = [...new Map(refs.map((r) => [accountKey(r), r])).values()];
    const params = unique.flatMap((r) => [r.ownerType, r.ownerId, r.kind, r.currency.toUpperCase(), isGuarded(r)]);
    await q(
      `insert into ledger_accounts (owner_type, owner_id, kind, currency, guarded) values ${placeholders(unique.length, '(?, ?, ?, ?, ?)')}
       on conflict (owner_type, owner_id, kind, currency) do nothing`,
      params,
    );
    const rows: { id: string; owner_type: string; owner_id: string; kind: string; currency: string }[] = await q(
      `select id, owner_type, owner_id, kind, currency from ledger_accounts where (owner_type, owner_id, kind, currency) in (${placeholders(unique.length, '(?, ?, ?, ?)')})`,
      unique.flatMap((r) => [r.ownerType, r.ownerId, r.kind, r.currency.toUpperCase()]),
    );
    return new Map(rows.map((r) => [`${r.owner_type}:${r.owner_id}:${r.kind}:${r.currency}`, r.id]));
  }

  /** Wallet (in `currency`) and points (PTS) accounts of a new user; safe to call again. */
  async openUserAccounts(userId: string, currency: string, tx?: Sql): Promise<void> {
    await this.ensureAccounts([userWallet(userId, currency), userPoints(userId)], tx);
  }

  /**
   * Applies the entry once. With `tx` it runs inside the caller's transaction (e.g. registration);
   * otherwise in its own.
   */
  async post(input: PostEntryInput, tx?: Sql): Promise<PostedEntry> {
    const postings = input.postings.map((p) => ({ ...p, account: { ...p.account, currency: p.account.currency.toUpperCase() } }));
    assertBalanced(postings);
    const before = await this.load('e.idempotency_key = ?', input.key, tx);
    if (before) return this.sameOrConflict(before, postings, input.key);
    const ids = await this.ensureAccounts(
      postings.map((p) => p.account),
      tx,
    );
    try {
      const entryId = tx ? await this.apply(tx, input, postings, ids) : await this.conn.transactional((trx) => this.apply(this.sql(trx), input, postings, ids));
      return { ...(await this.load('e.id = ?', entryId, tx))!, applied: true };
    } catch (err) {
      if (!(err instanceof AlreadyApplied)) throw err;
      return this.sameOrConflict((await this.load('e.idempotency_key = ?', input.key, tx))!, postings, input.key);
    }
  }

  /** Locks the accounts (ordered by id), writes entry and postings, moves balances; refuses overdrafts. */
  private async apply(q: Sql, input: PostEntryInput, postings: PostingInput[], ids: Map<string, string>): Promise<string> {
    const accountIds = [...new Set(ids.values())].sort();
    const locked = await q(
      `select id, balance_minor, guarded from ledger_accounts where id in (${placeholders(accountIds.length)}) order by id for update`,
      accountIds,
    );
    const inserted = await q(
      `insert into journal_entries (idempotency_key, type, user_id, description, metadata, created_by, reverses_entry_id, reversal_seq) values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (idempotency_key) do nothing returning id`,
      [
        input.key,
        input.type,
        input.userId ?? null,
        input.description ?? null,
        input.metadata ? JSON.stringify(input.metadata) : null,
        input.createdBy ?? null,
        input.reversesEntryId ?? null,
        input.reversalSeq ?? 0,
      ],
    );
    if (!inserted.length) throw new AlreadyApplied();
    const id = String(inserted[0].id);
    const start = new Map(locked.map((r) => [String(r.id), toInt(r.balance_minor)]));
    const balance = new Map(start);
    const lines = postings.map((p) => {
      const accountId = ids.get(accountKey(p.account))!;
      balance.set(accountId, balance.get(accountId)! + p.amountMinor);
      return { accountId, p, after: balance.get(accountId)! };
    });
    for (const row of locked) {
      const accountId = String(row.id);
      const after = balance.get(accountId)!;
      const dueAllowed = lines.some((l) => l.accountId === accountId && l.p.allowNegative);
      if (row.guarded && after < 0 && after < start.get(accountId)! && !dueAllowed) {
        const line = lines.find((l) => l.accountId === accountId)!;
        throw LedgerErrors.insufficient({
          account: line.p.account.kind,
          currency: line.p.account.currency,
          balance_minor: start.get(accountId),
          needed_minor: start.get(accountId)! - after,
        });
      }
    }
    await q(
      `insert into journal_postings (entry_id, account_id, amount_minor, currency, allow_negative, balance_after_minor) values ${placeholders(lines.length, '(?, ?, ?, ?, ?, ?)')}`,
      lines.flatMap((l) => [id, l.accountId, l.p.amountMinor, l.p.account.currency, l.p.allowNegative ?? false, l.after]),
    );
    await rollUp(q, input.key, lines);
    for (const accountId of accountIds) {
      if (balance.get(accountId) !== start.get(accountId))
        await q(`update ledger_accounts set balance_minor = ?, updated_at = now() where id = ?`, [balance.get(accountId), accountId]);
    }
    return id;
  }

  private sameOrConflict(entry: PostedEntry, postings: PostingInput[], key: string): PostedEntry {
    const sig = (lines: { k: string; a: number }[]) =>
      lines
        .map((l) => `${l.k}=${l.a}`)
        .sort()
        .join('|');
    const wanted = sig(postings.map((p) => ({ k: accountKey(p.account), a: p.amountMinor })));
    const got = sig(entry.postings.map((l) => ({ k: `${l.ownerType}:${l.ownerId}:${l.kind}:${l.currency}`, a: l.amountMinor })));
    if (wanted !== got) throw LedgerErrors.keyReused(key);
    return { ...entry, applied: false };
  }

  /** The live reversal of this entry, if any (a refund, a compensation): one not itself voided by a reversal. */
  async findReversalOf(entryId: string): Promise<PostedEntry | null> {
    return this.load(`e.reverses_entry_id = ? and not exists (select 1 from journal_entries v where v.reverses_entry_id = e.id)`, entryId);
  }

  async findByKey(key: string): Promise<PostedEntry | null> {
    return this.load('e.idempotency_key = ?', key);
  }
  async findById(id: string): Promise<PostedEntry | null> {
    return this.load('e.id = ?', id);
  }

  private async load(where: string, value: string, q: Sql = this.sql()): Promise<PostedEntry | null> {
    const rows: Record<string, unknown>[] = await q(
      `select e.*, p.account_id, p.amount_minor, p.currency as p_currency, p.balance_after_minor, a.owner_type, a.owner_id, a.kind
       from journal_entries e join journal_postings p on p.entry_id = e.id join ledger_accounts a on a.id = p.account_id
       where ${where} order by p.id`,
      [value],
    );
    if (!rows.length) return null;
    const e = rows[0];
    return {
      id: String(e.id),
      key: String(e.idempotency_key),
      type: String(e.type),
      userId: (e.user_id as string) ?? null,
      createdAt: new Date(e.created_at as string),
      description: (e.description as string) ?? null,
      metadata: (e.metadata as Record<string, unknown>) ?? null,
      createdBy: (e.created_by as string) ?? null,
      reversesEntryId: (e.reverses_entry_id as string) ?? null,
      applied: false,
      postings: rows.map((r) => ({
        accountId: String(r.account_id),
        ownerType: String(r.owner_type),
        ownerId: String(r.owner_id),
        kind: String(r.kind),
        currency: String(r.p_currency),
        amountMinor: toInt(r.amount_minor),
        balanceAfterMinor: toInt(r.balance_after_minor),
      })),
    };
  }

  async balance(ref: AccountRef, q: Sql = this.sql()): Promise<number> {
    const [row] = await q(`select balance_minor from ledger_accounts where owner_type = ? and owner_id = ? and kind = ? and currency = ?`, [
      ref.ownerType,
      ref.ownerId,
      ref.kind,
      ref.currency.toUpperCase(),
    ]);
    return toInt(row?.balance_minor);
  }

  /** A user's wallet (minor units of `currency`, negative = an unpaid due) and points; inside `q`'s transaction when given. */
  async balances(userId: string, currency: string, q?: Sql): Promise<{ walletMinor: number; points: number }> {
    const walletMinor = await this.balance(userWallet(userId, currency), q);
    const points = await this.balance(userPoints(userId), q);
    return { walletMinor, points };
  }

  /** Whether any of the user's wallets is below zero (an unpaid due). */
  async hasNegativeWallet(userId: string, q: Sql = this.sql()): Promise<boolean> {
    const [row] = await q(`select 1 from ledger_accounts where owner_type = 'user' and owner_id = ? and kind = 'wallet' and balance_minor < 0 limit 1`, [
      userId,
    ]);
    return !!row;
  }

  /**
   * Posts the exact negation of an entry (a refund or a correction): the reversal's own key makes
   * it idempotent, and one *live* reversal per entry is allowed. A reversal that was itself reversed
   * is void (a refund the gateway refused, undone): the next reversal takes the next `reversal_seq`,
   * and the unique index on (reverses_entry_id, reversal_seq) refuses a second live one (23505).
   */
  async reverse(entryId: string, input: Omit<PostEntryInput, 'postings' | 'reversesEntryId' | 'reversalSeq'>): Promise<PostedEntry> {
    const original = await this.findById(entryId);
    if (!original) throw new Error(`journal entry ${entryId} not found`);
    const [{ voided }] = await this.sql()(
      `select count(*)::int voided from journal_entries r where r.reverses_entry_id = ? and exists (select 1 from journal_entries v where v.reverses_entry_id = r.id)`,
      [entryId],
    );
    return this.post({
      ...input,
      reversesEntryId: original.id,
      reversalSeq: Number(voided),
      postings: original.postings.map((l) => ({
        account: { ownerType: l.ownerType as AccountRef['ownerType'], ownerId: l.ownerId, kind: l.kind as AccountRef['kind'], currency: l.currency },
        amountMinor: -l.amountMinor,
      })),
    });
  }

  /** What `GET /api/user/wallet` shows: balances as decimal strings plus minor units. */
  async walletSummary(userId: string, currency: string) {
    const { walletMinor, points } = await this.balances(userId, currency);
    return {
      currency,
      balance: formatMinor(Math.max(0, walletMinor)),
      balance_minor: Math.max(0, walletMinor),
      due: formatMinor(Math.max(0, -walletMinor)),
      due_minor: Math.max(0, -walletMinor),
      points,
      points_value: formatMinor(pointsToMinor(points)),
    };
  }
}
