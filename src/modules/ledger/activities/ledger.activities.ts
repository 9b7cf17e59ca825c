import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLedgerServices } from '../services/ledger-services';
import type { ChargeInput } from '../services/charge.service';

export interface LedgerActivityDeps {
  orm: MikroORM;
  /** The wallet currency of the product these activities serve. */
  walletCurrency: string;
}

/**
 * Ledger and points activities for other workflows (rentals, registration). Every one is keyed by
 * its cause, so a retry changes nothing twice.
 */
export function createLedgerActivities({ orm, walletCurrency }: LedgerActivityDeps) {
  const money = createLedgerServices(orm);
  return {
    /** Charges points-first-then-wallet (`rental-charge:<rentalId>`, `fine:<rentalId>` ...); InsufficientBalance is final. */
    async chargeUser(input: ChargeInput): Promise<{ entryId: string; pointsUsed: number; walletUsedMinor: number; dueMinor: number }> {
      try {
        const e = await money.charges.charge(input);
        return {
          entryId: e.id,
          pointsUsed: e.breakdown.pointsUsed,
          walletUsedMinor: e.breakdown.walletUsedMinor,
          dueMinor: input.allowDue ? e.breakdown.shortfallMinor : 0,
        };
      } catch (err) {
        if ((err as { code?: string }).code === 'INSUFFICIENT_BALANCE') throw ApplicationFailure.nonRetryable((err as Error).message, 'InsufficientBalance');
        throw err;
      }
    },

    /** +5 points for a completed rental, then the referral awards if this was the invitee's first. */
    async awardCompletedRental(input: { userId: string; rentalId: string }): Promise<{ referralAwarded: boolean }> {
      await money.points.awardCompletedRental(input.userId, input.rentalId);
      return { referralAwarded: await money.referrals.awardReferralOnFirstRental(input.userId) };
    },

    async awardReferralOnFirstRental(input: { userId: string }): Promise<boolean> {
      return money.referrals.awardReferralOnFirstRental(input.userId);
    },

    /** Registration: wallet + points accounts and the signup bonus, once. */
    async openUserAccounts(input: { userId: string }): Promise<void> {
      await money.points.onUserRegistered(input.userId, walletCurrency);
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
