import { condition, patched } from '@temporalio/workflow';
import { lostAt, settle, type Settlement } from '../rules/rules';
import { db, money, social } from './acts';
import { RENTAL_PATCHES } from './patches';
import type { RentalInput } from './definitions';
import { messages } from './messages';
import type { RentalState } from './state';
import { rentalCurrency } from '../rules/currency';
import { settledClosing, settlementCharges, timelineEvent, type Returned } from './closing';
import type { RentalRuntime } from './runtime';
import type { RentalActivities } from '../activities/rental.activities';

export const powerBankOf = (input: RentalInput, s: RentalState) => (s.eject?.ok ? s.eject.powerBankSn : input.powerBankSn);

/** The settlement of a return or a loss, by the rules. */
function settlementOf(input: RentalInput, s: RentalState, end: 'returned' | 'lost', endedAt: number): Settlement {
  return settle(
    {
      paymentModel: input.paymentModel,
      startedAt: s.startedAt!,
      dueAt: s.dueAt!,
      returnedAt: endedAt,
      basePriceMinor: input.pkg.priceMinor,
      baseDurationMinutes: input.pkg.durationMinutes,
      priceCapMinor: s.priceCapMinor,
      lost: end === 'lost',
      powerBankPriceMinor: input.powerBankPriceMinor,
    },
    input.rules,
  );
}

/**
 * Ends the rental once: a free cancel (refund), or the settlement of a return or a loss. What
 * points and wallet cannot cover becomes a due (negative wallet) that blocks new rentals.
 * Every charge has its own ledger key, so a retry or a replay charges nothing twice.
 * The first version: one activity per charge, award, progress, row and notification.
 */
export async function settleRental(input: RentalInput, s: RentalState, end: 'returned' | 'lost'): Promise<void> {
  await condition(() => s.busy === 0);
  const ret = end === 'returned' ? s.ret! : undefined;
  s.phase = 'settling';
  if (ret && s.cancel && ret.at <= s.cancel.returnBy) return closeCancelled(input, s, ret);

  const endedAt = ret ? ret.at : lostAt(s.dueAt!, input.rules);
  const st = settlementOf(input, s, end, endedAt);
  const dueMinor = await chargeSettlement(input, s, st);
  s.settlement = { ...st, dueMinor };
  s.phase = end === 'lost' ? 'lost' : 'completed';
  // Points before the row says completed, so whoever sees `completed` sees the award too.
  const referral = ret ? await money.awardCompletedRental({ userId: input.userId, rentalId: input.rentalId }) : undefined;
  if (patched(RENTAL_PATCHES.socialProgress))
    await social.recordRentalSettled({
      userId: input.userId,
      rentalId: input.rentalId,
      returned: ret !== undefined,
      onTime: st.overdueMinutes === 0,
      referralAwarded: referral?.referralAwarded ?? false,
    });
  await closeSettled(input, s, st, { ret, endedAt, dueMinor });
}

/**
 * The second version: the same settlement in one activity (`settleRental`: charges, points, social
 * progress, the closed row and the notifications, each under its own key), so a plain return costs
 * one marker in the history. A free cancel ends as in the first version.
 */
export async function settleRentalInOne(input: RentalInput, s: RentalState, end: 'returned' | 'lost', rt: RentalRuntime): Promise<void> {
  await condition(() => s.busy === 0);
  const ret = end === 'returned' ? s.ret! : undefined;
  s.phase = 'settling';
  if (ret && s.cancel && ret.at <= s.cancel.returnBy) return closeCancelled(input, s, ret, rt.db);

  const endedAt = ret ? ret.at : lostAt(s.dueAt!, input.rules);
  const st = settlementOf(input, s, end, endedAt);
  const phase = end === 'lost' ? 'lost' : 'completed';
  const { dueMinor } = await rt.db.settleRental({ input, st, rental: { phase, paidMinor: s.paidMinor, powerBankSn: powerBankOf(input, s), ret, endedAt } });
  s.settlement = { ...st, dueMinor };
  s.phase = phase;
}

/** A free cancel: the power bank came back within the window, so everything taken is refunded. */
async function closeCancelled(
  input: RentalInput,
  s: RentalState,
  ret: Returned,
  acts: Pick<RentalActivities, 'refundRentalCharges' | 'rentalClosed' | 'notifyRental'> = db,
): Promise<void> {
  const refunded = s.chargeKeys.length > 0;
  if (refunded)
    await acts.refundRentalCharges({
      rentalId: input.rentalId,
      userId: input.userId,
      currency: rentalCurrency(input.pkg),
      keys: s.chargeKeys,
      reason: 'cancelled within the free window',
    });
  s.settlement = { usedMinutes: 0, overdueMinutes: 0, usageMinor: 0, fineMinor: 0, lostMinor: 0, totalMinor: 0, dueMinor: 0 };
  s.phase = 'cancelled';
  await acts.rentalClosed({
    rentalId: input.rentalId,
    status: 'cancelled',
    paymentStatus: refunded ? 'refunded' : 'none',
    at: ret.at,
    returnedAt: ret.at,
    returnStationSn: ret.stationSn,
    returnSlot: ret.slot,
    usageMinor: 0,
    fineMinor: 0,
    lostMinor: 0,
    dueMinor: 0,
    powerBankSn: powerBankOf(input, s),
    event: timelineEvent(input, 'cancelled', 'closed', ret.at, { station_sn: ret.stationSn, slot: ret.slot }),
  });
  await acts.notifyRental({ event: timelineEvent(input, 'notified', 'notified:cancelled', ret.at), notification: messages.cancelled(input, refunded) });
}

/** Usage, fine and loss, each under its own ledger key; returns what became a due. */
async function chargeSettlement(input: RentalInput, s: RentalState, st: Settlement): Promise<number> {
  let dueMinor = 0;
  for (const charge of settlementCharges(input, st, powerBankOf(input, s))) dueMinor += (await money.chargeRental(charge)).dueMinor;
  return dueMinor;
}

/** The row closed as completed or lost, and the rider told what was charged and what is due. */
async function closeSettled(input: RentalInput, s: RentalState, st: Settlement, e: { ret?: Returned; endedAt: number; dueMinor: number }): Promise<void> {
  const settled = { phase: s.phase as 'completed' | 'lost', paidMinor: s.paidMinor, powerBankSn: powerBankOf(input, s), ret: e.ret, endedAt: e.endedAt };
  const { closed, notices } = settledClosing(input, settled, st, e.dueMinor);
  await db.rentalClosed(closed);
  for (const notice of notices) await db.notifyRental(notice);
}
