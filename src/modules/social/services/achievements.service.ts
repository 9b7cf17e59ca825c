import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { isUniqueViolation } from '../../../kernel/sql';
import { CRITERIA_COLUMN, type CriteriaType } from '../rules/social-rules';

export interface AchievementInput {
  code: string;
  name: string;
  description?: string | null;
  criteria: { type: CriteriaType; threshold: number };
  reward_points: number;
  active?: boolean;
}
export type AchievementPatch = Partial<Omit<AchievementInput, 'code'>>;

const n = (v: unknown) => Number(v ?? 0);
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const present = (r: Record<string, unknown>) => ({
  id: String(r.id),
  code: String(r.code),
  name: String(r.name),
  description: (r.description as string) ?? null,
  criteria: { type: String(r.criteria_type) as CriteriaType, threshold: n(r.threshold) },
  reward_points: n(r.reward_points),
  active: Boolean(r.active),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

/** Achievements: admins define them (criteria, reward, active); users see theirs with progress. */
export class AchievementService {
  constructor(private readonly orm: MikroORM) {}

  private q(sql: string, params: unknown[] = []) {
    return this.orm.em.getConnection().execute(sql, params);
  }

  async create(input: AchievementInput) {
    try {
      const [row] = await this.q(
        `insert into achievements (id, code, name, description, criteria_type, threshold, reward_points, active) values (?, ?, ?, ?, ?, ?, ?, ?) returning *`,
        [
          randomUUID(),
          input.code,
          input.name,
          input.description ?? null,
          input.criteria.type,
          input.criteria.threshold,
          input.reward_points,
          input.active ?? true,
        ],
      );
      return present(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('ACHIEVEMENT_CODE_TAKEN', `An achievement with code ${input.code} exists`, 409);
      throw err;
    }
  }

  async update(id: string, patch: AchievementPatch) {
    const [row] = await this.q(
      `update achievements set name = coalesce(?, name), description = case when ? then ? else description end, criteria_type = coalesce(?, criteria_type),
              threshold = coalesce(?, threshold), reward_points = coalesce(?, reward_points), active = coalesce(?, active), updated_at = now()
       where id = ? returning *`,
      [
        patch.name ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.criteria?.type ?? null,
        patch.criteria?.threshold ?? null,
        patch.reward_points ?? null,
        patch.active ?? null,
        id,
      ],
    );
    if (!row) throw Errors.notFound('Achievement');
    return present(row);
  }

  /** Every achievement with its unlocks, the share of users with social activity who unlocked it, and the points it awarded. */
  async listWithStats(filter: { active?: boolean } = {}) {
    const rows = await this.q(
      `select a.*, count(ua.user_id) as unlocks, coalesce(sum(ua.points_awarded), 0) as points, max(ua.unlocked_at) as last_unlocked_at,
              (select count(*) from social_stats) as participants
       from achievements a left join user_achievements ua on ua.achievement_id = a.id
       where (?::boolean is null or a.active = ?) group by a.id order by a.created_at, a.code`,
      [filter.active ?? null, filter.active ?? null],
    );
    return rows.map((r) => ({
      ...present(r),
      stats: {
        unlocks: n(r.unlocks),
        unlock_rate_percent: n(r.participants) ? Math.round((n(r.unlocks) / n(r.participants)) * 10_000) / 100 : 0,
        points_awarded: n(r.points),
        last_unlocked_at: iso(r.last_unlocked_at),
      },
    }));
  }

  /** Unlock rates, engagement (users with any unlock), points awarded, unlocks per day of the last 30 days. */
  async analytics() {
    const achievements = await this.listWithStats();
    const [t] = await this.q(
      `select (select count(*) from social_stats) as participants, (select count(distinct user_id) from user_achievements) as achievers,
              (select count(*) from user_achievements) as unlocks, (select coalesce(sum(points_awarded), 0) from user_achievements) as points`,
    );
    const daily = await this.q(
      `select to_char(date_trunc('day', unlocked_at), 'YYYY-MM-DD') as day, count(*) as unlocks from user_achievements
       where unlocked_at >= now() - interval '30 days' group by 1 order by 1`,
    );
    return {
      participants: n(t.participants),
      users_with_achievements: n(t.achievers),
      engagement_percent: n(t.participants) ? Math.round((n(t.achievers) / n(t.participants)) * 10_000) / 100 : 0,
      total_unlocks: n(t.unlocks),
      points_awarded: n(t.points),
      average_unlocks_per_achiever: n(t.achievers) ? Math.round((n(t.unlocks) / n(t.achievers)) * 100) / 100 : 0,
      unlocks_last_30_days: daily.map((d) => ({ day: String(d.day), unlocks: n(d.unlocks) })),
      achievements: achievements.map((a) => ({ id: a.id, code: a.code, name: a.name, active: a.active, ...a.stats })),
    };
  }

  /** The user's unlocked achievements, and progress towards the active ones still locked. */
  async mine(userId: string) {
    const [stats] = await this.q(`select * from social_stats where user_id = ?`, [userId]);
    const rows = await this.q(
      `select a.*, ua.unlocked_at, ua.points_awarded from achievements a left join user_achievements ua on ua.achievement_id = a.id and ua.user_id = ?
       where a.active or ua.user_id is not null order by ua.unlocked_at nulls last, a.threshold, a.code`,
      [userId],
    );
    const current = (type: CriteriaType) => n(stats?.[CRITERIA_COLUMN[type]]);
    const shape = (r: Record<string, unknown>) => {
      const a = present(r);
      const value = current(a.criteria.type);
      return {
        id: a.id,
        code: a.code,
        name: a.name,
        description: a.description,
        criteria: a.criteria,
        reward_points: a.reward_points,
        progress: {
          current: Math.min(value, a.criteria.threshold),
          target: a.criteria.threshold,
          percent: Math.min(100, Math.floor((value / a.criteria.threshold) * 100)),
        },
      };
    };
    return {
      unlocked: rows.filter((r) => r.unlocked_at).map((r) => ({ ...shape(r), unlocked_at: iso(r.unlocked_at)!, points_awarded: n(r.points_awarded) })),
      locked: rows.filter((r) => !r.unlocked_at).map(shape),
      totals: {
        rentals_completed: n(stats?.rentals),
        timely_returns: n(stats?.timely),
        late_returns: n(stats?.late),
        referrals_completed: n(stats?.referrals),
        topups: n(stats?.topups),
        points_earned: n(stats?.points),
      },
    };
  }
}
