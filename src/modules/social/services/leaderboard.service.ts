import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { userContacts } from '../../identity';
import { PERIOD_DAYS, scoreSql, type LeaderboardPeriod } from '../rules/social-rules';

const n = (v: unknown) => Number(v ?? 0);

/**
 * The leaderboard: users ranked by score (rentals, timely returns, referrals and points earned
 * raise it; late returns lower it). `all`: from each user's running totals (`social_stats`, score
 * index); `week` / `month`: the social events of the last 7 / 30 days summed per user.
 */
export class LeaderboardService {
  constructor(private readonly orm: MikroORM) {}

  private q(sql: string, params: unknown[] = []) {
    return this.orm.em.getConnection().execute(sql, params);
  }

  /** The ranked rows of a period as a subquery: user_id, rentals, timely, late, referrals, points, score, achievements. */
  private ranked(period: LeaderboardPeriod): { sql: string; params: unknown[] } {
    const achievements = `(select count(*) from user_achievements ua where ua.user_id = t.user_id)`;
    if (period === 'all')
      return {
        sql: `select t.user_id, t.rentals, t.timely, t.late, t.referrals, t.points, t.score, ${achievements} as achievements from social_stats t`,
        params: [],
      };
    return {
      sql: `select t.*, ${scoreSql('t.')} as score, ${achievements} as achievements from (
              select user_id, sum(rentals)::int as rentals, sum(timely)::int as timely, sum(late)::int as late, sum(referrals)::int as referrals, sum(points)::int as points
              from social_events where at >= now() - (? * interval '1 day') group by user_id) t`,
      params: [PERIOD_DAYS[period]],
    };
  }

  private async present(rows: Record<string, unknown>[], offset: number) {
    const contacts = await userContacts(
      executor(this.orm),
      rows.map((r) => String(r.user_id)),
    );
    return rows.map((r, i) => ({
      rank: offset + i + 1,
      user_id: String(r.user_id),
      username: contacts.get(String(r.user_id))?.username ?? null,
      score: n(r.score),
      rentals: n(r.rentals),
      timely_returns: n(r.timely),
      late_returns: n(r.late),
      referrals: n(r.referrals),
      points_earned: n(r.points),
      achievements: n(r.achievements),
    }));
  }

  async top(period: LeaderboardPeriod, limit = 10) {
    const r = this.ranked(period);
    const rows = await this.q(`select * from (${r.sql}) x order by score desc, user_id limit ?`, [...r.params, limit]);
    return this.present(rows, 0);
  }

  /** The user's own row and rank (1 + users with a higher score), or null without social activity in the period. */
  async position(period: LeaderboardPeriod, userId: string) {
    const r = this.ranked(period);
    const [mine] = await this.q(`select * from (${r.sql}) x where user_id = ?`, [...r.params, userId]);
    if (!mine) return null;
    const [{ higher }] = await this.q(`select count(*) as higher from (${r.sql}) x where score > ? or (score = ? and user_id < ?)`, [
      ...r.params,
      n(mine.score),
      n(mine.score),
      userId,
    ]);
    return { ...(await this.present([mine], 0))[0], rank: n(higher) + 1 };
  }

  /** Every ranked user, a page at a time (admins). */
  async page(period: LeaderboardPeriod, p: Pagination) {
    const r = this.ranked(period);
    const [{ total }] = await this.q(`select count(*) as total from (${r.sql}) x`, r.params);
    const rows = await this.q(`select * from (${r.sql}) x order by score desc, user_id limit ? offset ?`, [...r.params, p.page_size, offsetOf(p)]);
    return pageOf(await this.present(rows, offsetOf(p)), n(total), p);
  }
}
