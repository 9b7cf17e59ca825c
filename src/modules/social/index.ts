/**
 * Social: achievements (admin-defined criteria and points rewards, unlocked once per user by the
 * workflows that cause progress: a rental settled, a referral completed, a top-up landed), the
 * social events and running totals behind them, and the leaderboard. Points move through the ledger.
 */
export { socialEntities } from './entities';
export { CRITERIA_TYPES, LEADERBOARD_PERIODS, SCORE, socialKeys, type CriteriaType, type LeaderboardPeriod } from './rules/social-rules';
export { AchievementService, type AchievementInput, type AchievementPatch } from './services/achievements.service';
export { LeaderboardService } from './services/leaderboard.service';
export { createSocialActivities, type SocialActivities, type SocialActivityDeps, type RentalSettledInput } from './activities/social.activities';
