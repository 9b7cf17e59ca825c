import type { MikroORM } from '@mikro-orm/postgresql';
import { executor, inTransaction, type Execute } from '../../../kernel/sql';
import { LedgerService, PointsService, type PointsAward } from '../../ledger';
import { CRITERIA_COLUMN, scoreSql, socialKeys, type SocialDelta } from '../rules/social-rules';

const COLUMNS = ['rentals', 'timely', 'late', 'referrals', 'topups', 'points'] as const;

/** The criterion's value in `social_stats s`, as SQL. */
const criterionValue = `case a.criteria_type ${Object.entries(CRITERIA_COLUMN)
  .map(([type, column]) => `when '${type}' then s.${column}`)
  .join(' ')} else 0 end`;

/**
 * Records social progress and unlocks achievements. An event is counted once (its key is the
 * primary key of `social_events`); its totals and any points it awards move in the same
 * transaction. An unlock is one row per user and achievement (the primary key of
 * `user_achievements`) and its points reward posts in the unlock's transaction under
 * `points:achievement:<id>:<user>`, so concurrent settlements unlock and reward exactly once.
 */
export function socialProgress(orm: MikroORM) {
  const points = new PointsService(new LedgerService(orm));
  const q = executor(orm);

  /** Inside `tx`: the event once, the user's totals and score; false when the event was counted before. */
  async function applyEvent(tx: Execute, key: string, userId: string, kind: string, delta: SocialDelta): Promise<boolean> {
    const values = COLUMNS.map((c) => delta[c] ?? 0);
    const inserted = await tx(
      `insert into social_events (key, user_id, kind, ${COLUMNS.join(', ')}) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing returning key`,
      [key, userId, kind, ...values],
    );
    if (!inserted.length) return false;
    await tx(
      `insert into social_stats (user_id, ${COLUMNS.join(', ')}, score) values (?, ?, ?, ?, ?, ?, ?, 0)
       on conflict (user_id) do update set ${COLUMNS.map((c) => `${c} = social_stats.${c} + excluded.${c}`).join(', ')}, updated_at = now()`,
      [userId, ...values],
    );
    await tx(`update social_stats set score = ${scoreSql()} where user_id = ?`, [userId]);
    return true;
  }

  return {
    /** Counts an event once; `award` (points) is posted with it, in its transaction. */
    record(key: string, userId: string, kind: string, delta: SocialDelta, award?: PointsAward): Promise<boolean> {
      return inTransaction(orm, async (tx) => {
        const counted = await applyEvent(tx, key, userId, kind, delta);
        if (counted && award) await points.award(award, tx);
        return counted;
      });
    },

    /** Unlocks every active achievement whose criterion the user now meets; returns the codes unlocked by this call. */
    async unlock(userId: string): Promise<string[]> {
      const unlocked: string[] = [];
      // An unlock's reward adds points, which may meet a `points_earned` criterion: look again (bounded).
      for (let round = 0; round < 5; round++) {
        const due: { id: string; code: string; name: string; reward_points: number }[] = await q(
          `select a.id, a.code, a.name, a.reward_points from achievements a join social_stats s on s.user_id = ?
           where a.active and ${criterionValue} >= a.threshold
             and not exists (select 1 from user_achievements ua where ua.user_id = s.user_id and ua.achievement_id = a.id) order by a.threshold, a.code`,
          [userId],
        );
        if (!due.length) break;
        for (const a of due) if (await unlockOne(userId, a)) unlocked.push(a.code);
      }
      return unlocked;
    },
  };

  async function unlockOne(userId: string, a: { id: string; name: string; reward_points: number }): Promise<boolean> {
    return inTransaction(orm, async (tx) => {
      const won = await tx(
        `insert into user_achievements (user_id, achievement_id, points_awarded) values (?, ?, ?) on conflict (user_id, achievement_id) do nothing returning user_id`,
        [userId, a.id, a.reward_points],
      );
      if (!won.length) return false;
      const reward = Number(a.reward_points);
      await applyEvent(tx, socialKeys.unlock(a.id, userId), userId, 'achievement', { points: reward });
      if (reward > 0)
        await points.award(
          { key: socialKeys.achievementPoints(a.id, userId), userId, points: reward, reason: 'achievement', description: `Achievement unlocked: ${a.name}` },
          tx,
        );
      return true;
    });
  }
}
export type SocialProgress = ReturnType<typeof socialProgress>;
