import type { MikroORM } from '@mikro-orm/postgresql';
import { completedReferralInviter } from '../../ledger';
import { socialKeys } from '../rules/social-rules';
import { socialProgress } from '../services/progress';

export interface SocialActivityDeps {
  orm: MikroORM;
  /** Points for a rental returned by its due time (SOCIAL_TIMELY_RETURN_BONUS_POINTS; 0 turns the bonus off). */
  timelyReturnBonusPoints: number;
}

export interface RentalSettledInput {
  userId: string;
  rentalId: string;
  /** Returned (completed), or lost. */
  returned: boolean;
  /** Returned by the due time (no overdue minutes). */
  onTime: boolean;
  /** The rentals workflow's referral award ran (this may be the invitee's first rental). */
  referralAwarded: boolean;
}

/**
 * Social progress from the workflows that cause it: a rental settled (rentals), a referral
 * completed (its first rental), a top-up landed (payments). Each is keyed by its cause, so a retry
 * counts nothing twice; achievements unlock here, once per user and achievement.
 */
export function createSocialActivities({ orm, timelyReturnBonusPoints }: SocialActivityDeps) {
  const progress = socialProgress(orm);
  return {
    async recordRentalSettled(input: RentalSettledInput): Promise<{ unlocked: string[] }> {
      const timely = input.returned && input.onTime;
      const bonus = timely ? timelyReturnBonusPoints : 0;
      await progress.record(
        socialKeys.rental(input.rentalId),
        input.userId,
        'rental',
        { rentals: input.returned ? 1 : 0, timely: timely ? 1 : 0, late: timely ? 0 : 1, points: bonus },
        bonus > 0
          ? {
              key: socialKeys.timelyPoints(input.rentalId),
              userId: input.userId,
              points: bonus,
              reason: 'timely_return',
              description: 'Bonus: returned on time',
            }
          : undefined,
      );
      const unlocked = await progress.unlock(input.userId);
      const inviter = input.referralAwarded ? await completedReferralInviter(orm, input.userId) : null;
      if (inviter) {
        await progress.record(socialKeys.referral(input.userId), inviter, 'referral', { referrals: 1 });
        await progress.unlock(inviter);
      }
      return { unlocked };
    },

    async recordTopupLanded(input: { userId: string; intentId: string; pointsAwarded: number }): Promise<{ unlocked: string[] }> {
      await progress.record(socialKeys.topup(input.intentId), input.userId, 'topup', { topups: 1, points: input.pointsAwarded });
      return { unlocked: await progress.unlock(input.userId) };
    },
  };
}
export type SocialActivities = ReturnType<typeof createSocialActivities>;
