import type { MikroORM } from '@mikro-orm/postgresql';
import type { Settlement } from '../rules/rules';
import type { RentalInput } from '../workflows/definitions';
import { settledClosing, settlementCharges, type SettledRental } from '../workflows/closing';
import { createRentalActivities, type RentalActivityDeps } from './rental.activities';

/**
 * What the settlement needs from other modules, wired by the composition root: the ledger's points
 * for a completed rental (and the referral it may complete), and social progress. Both are keyed
 * by the rental, so a retry awards and counts nothing twice.
 */
export interface RentalSettlementDeps extends RentalActivityDeps {
  orm: MikroORM;
  awardCompletedRental(input: { userId: string; rentalId: string }): Promise<{ referralAwarded: boolean }>;
  recordRentalSettled(input: { userId: string; rentalId: string; returned: boolean; onTime: boolean; referralAwarded: boolean }): Promise<unknown>;
}

export interface SettleRentalInput {
  input: RentalInput;
  st: Settlement;
  rental: SettledRental;
}

/**
 * The settlement of the second rental workflow in one activity: the steps that always run together
 * after a return or a loss, in the first version's order, each under its own key (usage, fine and
 * loss charges in the ledger; points; social progress; the row's target state; notifications by
 * dedupe key). A retry after any of them failed redoes the rest and changes nothing done.
 */
export function createRentalSettlementActivities(deps: RentalSettlementDeps) {
  const rental = createRentalActivities({ orm: deps.orm, deliverPush: deps.deliverPush });
  return {
    async settleRental({ input, st, rental: r }: SettleRentalInput): Promise<{ dueMinor: number }> {
      let dueMinor = 0;
      for (const charge of settlementCharges(input, st, r.powerBankSn)) dueMinor += (await rental.chargeRental(charge)).dueMinor;
      // Points before the row says completed, so whoever sees `completed` sees the award too.
      const referral = r.ret ? await deps.awardCompletedRental({ userId: input.userId, rentalId: input.rentalId }) : undefined;
      await deps.recordRentalSettled({
        userId: input.userId,
        rentalId: input.rentalId,
        returned: r.ret !== undefined,
        onTime: st.overdueMinutes === 0,
        referralAwarded: referral?.referralAwarded ?? false,
      });
      const { closed, notices } = settledClosing(input, r, st, dueMinor);
      await rental.rentalClosed(closed);
      for (const notice of notices) await rental.notifyRental(notice);
      return { dueMinor };
    },
  };
}

export type RentalSettlementActivities = ReturnType<typeof createRentalSettlementActivities>;
