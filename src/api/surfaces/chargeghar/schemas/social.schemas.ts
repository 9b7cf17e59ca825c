import { z } from 'zod';
import '../../../http/openapi';
import { CRITERIA_TYPES, LEADERBOARD_PERIODS, SCORE } from '../../../../modules/social';

export const LeaderboardPeriodQuery = z
  .enum(LEADERBOARD_PERIODS)
  .default('month')
  .openapi({ description: 'week: the last 7 days; month: the last 30 days (default); all: all time' });

export const LeaderboardEntrySchema = z
  .object({
    rank: z.number().int(),
    user_id: z.string(),
    username: z.string().nullable(),
    score: z
      .number()
      .int()
      .openapi({
        description: `${SCORE.rental} per completed rental + ${SCORE.timely} per timely return ${SCORE.late} per late return (or loss) + ${SCORE.referral} per completed referral + points earned / ${SCORE.pointsDivisor}`,
      }),
    rentals: z.number().int(),
    timely_returns: z.number().int(),
    late_returns: z.number().int(),
    referrals: z.number().int(),
    points_earned: z.number().int().openapi({ description: 'Timely-return bonuses, top-up rewards and achievement rewards in the period' }),
    achievements: z.number().int().openapi({ description: 'Achievements unlocked (all time)' }),
  })
  .openapi('LeaderboardEntry');

export const LeaderboardSchema = z
  .object({
    period: z.enum(LEADERBOARD_PERIODS),
    top: z.array(LeaderboardEntrySchema),
    me: LeaderboardEntrySchema.nullable()
      .optional()
      .openapi({ description: 'With ?me=true: the caller’s own position (null without social activity in the period)' }),
  })
  .openapi('Leaderboard');

const Criteria = z.object({
  type: z.enum(CRITERIA_TYPES).openapi({ description: 'The running total the threshold applies to' }),
  threshold: z.number().int().min(1).max(1_000_000),
});

const Progress = z.object({ current: z.number().int(), target: z.number().int(), percent: z.number().int() });
/** What an achievement is, as an admin and a rider both see it. */
const AchievementFields = {
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  criteria: Criteria,
  reward_points: z.number().int(),
};
const UserAchievementBase = z.object({ ...AchievementFields, progress: Progress });

export const MyAchievementsSchema = z
  .object({
    unlocked: z.array(UserAchievementBase.extend({ unlocked_at: z.string(), points_awarded: z.number().int() })),
    locked: z.array(UserAchievementBase),
    totals: z.object({
      rentals_completed: z.number().int(),
      timely_returns: z.number().int(),
      late_returns: z.number().int(),
      referrals_completed: z.number().int(),
      topups: z.number().int(),
      points_earned: z.number().int(),
    }),
  })
  .openapi('MyAchievements');

export const AchievementBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{2,64}$/, 'lower-case letters, digits, - and _ (2-64)'),
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(500).nullable().optional(),
    criteria: Criteria,
    reward_points: z.number().int().min(0).max(100_000),
    active: z.boolean().optional(),
  })
  .openapi('AchievementInput');

export const AchievementPatchBody = AchievementBody.omit({ code: true })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .openapi('AchievementUpdate', { minProperties: 1 });

const AchievementStats = z.object({
  unlocks: z.number().int(),
  unlock_rate_percent: z.number().openapi({ description: 'Unlocks / users with any social activity' }),
  points_awarded: z.number().int(),
  last_unlocked_at: z.string().nullable(),
});

export const AchievementSchema = z
  .object({
    ...AchievementFields,
    active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Achievement');

export const AchievementWithStatsSchema = AchievementSchema.extend({ stats: AchievementStats }).openapi('AchievementWithStats');

export const AchievementAnalyticsSchema = z
  .object({
    participants: z.number().int().openapi({ description: 'Users with any social activity' }),
    users_with_achievements: z.number().int(),
    engagement_percent: z.number(),
    total_unlocks: z.number().int(),
    points_awarded: z.number().int(),
    average_unlocks_per_achiever: z.number(),
    unlocks_last_30_days: z.array(z.object({ day: z.string(), unlocks: z.number().int() })),
    achievements: z.array(AchievementStats.extend({ id: z.string(), code: z.string(), name: z.string(), active: z.boolean() })),
  })
  .openapi('AchievementAnalytics');
