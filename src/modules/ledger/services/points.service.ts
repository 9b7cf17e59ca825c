import { POINTS_CURRENCY, systemAccount, userPoints } from '../rules/accounts';
import { formatMinor, toInt } from '../../../kernel/money';
import { pointsToMinor, rentalAward, signupAward, topupAward, type PointsAward } from '../rules/points-rules';
import type { LedgerService, PostedEntry, Sql } from './ledger.service';
import { offsetOf, pageArgs, pageOf } from '../../../kernel/paging';

export interface PointsHistoryQuery {
  page: number;
  pageSize: number;
  direction?: 'earned' | 'spent';
}

/**
 * Awards and reads points. Each award is a ledger entry (points +N, promotions −N in PTS)
 * keyed by its cause, so calling an award again (an activity retry) changes nothing.
 */
export class PointsService {
  constructor(private readonly ledger: LedgerService) {}

  private get conn() {
    return this.ledger.orm.em.getConnection();
  }

  async award(a: PointsAward, tx?: Sql): Promise<PostedEntry> {
    return this.ledger.post(
      {
        key: a.key,
        type: 'points_award',
        userId: a.userId,
        description: a.description,
        metadata: { reason: a.reason, points: a.points },
        postings: [
          { account: userPoints(a.userId), amountMinor: a.points },
          { account: systemAccount('promotions', POINTS_CURRENCY), amountMinor: -a.points },
        ],
      },
      tx,
    );
  }

  /** Registration hook: opens the wallet and points accounts and gives the signup bonus, once. */
  async onUserRegistered(userId: string, currency: string, tx?: Sql): Promise<PostedEntry> {
    await this.ledger.openUserAccounts(userId, currency, tx);
    return this.award(signupAward(userId), tx);
  }

  async awardTopup(userId: string, intentId: string, amountMinor: number): Promise<PostedEntry | null> {
    const a = topupAward(userId, intentId, amountMinor);
    return a ? this.award(a) : null;
  }

  async awardCompletedRental(userId: string, rentalId: string): Promise<PostedEntry> {
    return this.award(rentalAward(userId, rentalId));
  }

  async hasCompletedRental(userId: string): Promise<boolean> {
    const rows = await this.conn.execute(`select 1 from journal_entries where user_id = ? and idempotency_key like 'points:rental:%' limit 1`, [userId]);
    return rows.length > 0;
  }

  async history(userId: string, q: PointsHistoryQuery) {
    const dir = q.direction === 'earned' ? 'and p.amount_minor > 0' : q.direction === 'spent' ? 'and p.amount_minor < 0' : '';
    const base = `from journal_postings p join ledger_accounts a on a.id = p.account_id join journal_entries e on e.id = p.entry_id
      where a.owner_type = 'user' and a.owner_id = ? and a.kind = 'points' ${dir}`;
    const [{ n }] = await this.conn.execute(`select count(*) n ${base}`, [userId]);
    const rows = await this.conn.execute(
      `select e.id, e.type, e.description, e.metadata, e.created_at, p.amount_minor, p.balance_after_minor ${base} order by p.id desc limit ? offset ?`,
      [userId, q.pageSize, offsetOf(pageArgs(q))],
    );
    return pageOf(
      rows.map((r: Record<string, unknown>) => ({
        id: String(r.id),
        type: toInt(r.amount_minor) > 0 ? 'earned' : 'spent',
        source: ((r.metadata as Record<string, unknown> | null)?.reason as string) ?? String(r.type),
        points: toInt(r.amount_minor),
        balance_after: toInt(r.balance_after_minor),
        description: r.description ?? null,
        created_at: new Date(r.created_at as string).toISOString(),
      })),
      toInt(n),
      pageArgs(q),
    );
  }

  async summary(userId: string) {
    const rows: { reason: string | null; earned: string; spent: string }[] = await this.conn.execute(
      `select coalesce(e.metadata->>'reason', e.type) reason, sum(greatest(p.amount_minor, 0)) earned, sum(least(p.amount_minor, 0)) spent
       from journal_postings p join ledger_accounts a on a.id = p.account_id join journal_entries e on e.id = p.entry_id
       where a.owner_type = 'user' and a.owner_id = ? and a.kind = 'points' group by 1`,
      [userId],
    );
    const [ref] = await this.conn.execute(
      `select count(*) filter (where status = 'awarded') awarded, count(*) filter (where status = 'pending') pending from referrals where inviter_id = ?`,
      [userId],
    );
    const current = await this.ledger.balance(userPoints(userId));
    const earned = rows.reduce((s, r) => s + toInt(r.earned), 0);
    return {
      current_points: current,
      points_value: formatMinor(pointsToMinor(current)),
      total_earned: earned,
      total_spent: -rows.reduce((s, r) => s + toInt(r.spent), 0),
      earned_by_source: Object.fromEntries(rows.filter((r) => toInt(r.earned) > 0).map((r) => [r.reason ?? 'other', toInt(r.earned)])),
      referrals: { successful: toInt(ref?.awarded), pending: toInt(ref?.pending) },
      conversion: { points_per_npr: 10 },
    };
  }
}
