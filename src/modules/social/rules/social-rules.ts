/**
 * What counts towards achievements and the leaderboard (seed 001, Social Features). Each social
 * event adds to a user's totals; the score weighs them.
 */
export const CRITERIA_TYPES = ['rentals_completed', 'timely_returns', 'referrals_completed', 'topups', 'points_earned'] as const;
export type CriteriaType = (typeof CRITERIA_TYPES)[number];

/** The column of `social_stats` / `social_events` each criterion reads. */
export const CRITERIA_COLUMN: Record<CriteriaType, 'rentals' | 'timely' | 'referrals' | 'topups' | 'points'> = {
  rentals_completed: 'rentals',
  timely_returns: 'timely',
  referrals_completed: 'referrals',
  topups: 'topups',
  points_earned: 'points',
};

/** Score weights: rentals, timely returns, referrals and points earned raise it; late returns lower it. */
export const SCORE = { rental: 10, timely: 5, late: -10, referral: 25, pointsDivisor: 10 } as const;

/** The score as SQL over columns `rentals, timely, late, referrals, points` (optionally prefixed). */
export const scoreSql = (p = '') =>
  `(${SCORE.rental} * ${p}rentals + ${SCORE.timely} * ${p}timely + ${SCORE.late} * ${p}late + ${SCORE.referral} * ${p}referrals + ${p}points / ${SCORE.pointsDivisor})`;

export const LEADERBOARD_PERIODS = ['week', 'month', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];
export const PERIOD_DAYS: Record<Exclude<LeaderboardPeriod, 'all'>, number> = { week: 7, month: 30 };

/** What one event adds to a user's totals. */
export interface SocialDelta {
  rentals?: number;
  timely?: number;
  late?: number;
  referrals?: number;
  topups?: number;
  points?: number;
}

/** Idempotency keys: of social events (one per cause) and of the points they award in the ledger. */
export const socialKeys = {
  rental: (rentalId: string) => `rental:${rentalId}`,
  referral: (inviteeId: string) => `referral:${inviteeId}`,
  topup: (intentId: string) => `topup:${intentId}`,
  unlock: (achievementId: string, userId: string) => `achievement:${achievementId}:${userId}`,
  timelyPoints: (rentalId: string) => `points:timely-return:${rentalId}`,
  achievementPoints: (achievementId: string, userId: string) => `points:achievement:${achievementId}:${userId}`,
};
