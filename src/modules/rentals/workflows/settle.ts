import { condition, patched } from '@temporalio/workflow';
import type { EntryType } from '../../ledger';
import { lostAt, settle, type Settlement } from '../rules/rules';
import { db, money, social } from './acts';
import { RENTAL_PATCHES } from './patches';
import { rentalKeys, type RentalInput, type ReturnEvent } from './definitions';
import { messages } from './messages';
import type { RentalState } from './state';
import { rentalCurrency } from '../rules/currency';

type Returned = ReturnEvent & { at: number };

const timelineEvent = (input: RentalInput, type: string, key: string, at: number, data?: Record<string, unknown>) => ({
  rentalId: input.rentalId,
  type,
  key,
  at,
  data,
});
const powerBankOf = (input: RentalInput, s: RentalState) => (s.eject?.ok ? s.eject.powerBankSn : input.powerBankSn);

/**
 * Ends the rental once: a free cancel (refund), or the settlement of a return or a loss. What
 * points and wallet cannot cover becomes a due (negative wallet) that blocks new rentals.
 * Every charge has its own ledger key, so a retry or a replay charges nothing twice.
 */
export async function settleRental(input: RentalInput, s: RentalState, end: 'returned' | 'lost'): Promise<void> {
  await condition(() => s.busy === 0);
  const ret = end === 'returned' ? s.ret! : undefined;
  s.phase = 'settling';
  if (ret && s.cancel && ret.at <= s.cancel.returnBy) return closeCancelled(input, s, ret);

  const endedAt = ret ? ret.at : lostAt(s.dueAt!, input.rules);
  const st = settle(
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

/** A free cancel: the power bank came back within the window, so everything taken is refunded. */
async function closeCancelled(input: RentalInput, s: RentalState, ret: Returned): Promise<void> {
  const refunded = s.chargeKeys.length > 0;
  if (refunded)
    await db.refundRentalCharges({
      rentalId: input.rentalId,
      userId: input.userId,
      currency: rentalCurrency(input.pkg),
      keys: s.chargeKeys,
      reason: 'cancelled within the free window',
    });
  s.settlement = { usedMinutes: 0, overdueMinutes: 0, usageMinor: 0, fineMinor: 0, lostMinor: 0, totalMinor: 0, dueMinor: 0 };
  s.phase = 'cancelled';
  await db.rentalClosed({
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
  await db.notifyRental({ event: timelineEvent(input, 'notified', 'notified:cancelled', ret.at), notification: messages.cancelled(input, refunded) });
}

/** Usage, fine and loss, each under its own ledger key; returns what became a due. */
async function chargeSettlement(input: RentalInput, s: RentalState, st: Settlement): Promise<number> {
  const charge = async (key: string, amountMinor: number, type: EntryType, to: 'revenue' | 'fines', description: string) => {
    if (amountMinor <= 0) return 0;
    const r = await money.chargeRental({
      key,
      userId: input.userId,
      amountMinor,
      currency: rentalCurrency(input.pkg),
      mode: input.paymentMode,
      type,
      to,
      description,
      allowDue: true,
      metadata: { rental_id: input.rentalId },
    });
    return r.dueMinor;
  };
  let dueMinor = 0;
  dueMinor += await charge(rentalKeys.usage(input.rentalId), st.usageMinor, 'rental_charge', 'revenue', `Rental usage: ${st.usedMinutes} min`);
  dueMinor += await charge(rentalKeys.fine(input.rentalId), st.fineMinor, 'fine', 'fines', `Late return: ${st.overdueMinutes} min overdue`);
  dueMinor += await charge(rentalKeys.lost(input.rentalId), st.lostMinor, 'rental_charge', 'revenue', `Power bank ${powerBankOf(input, s)} not returned`);
  return dueMinor;
}

/** The row closed as completed or lost, and the rider told what was charged and what is due. */
async function closeSettled(input: RentalInput, s: RentalState, st: Settlement, e: { ret?: Returned; endedAt: number; dueMinor: number }): Promise<void> {
  const { ret, endedAt, dueMinor } = e;
  const charged = st.totalMinor > 0 || s.paidMinor > 0;
  await db.rentalClosed({
    rentalId: input.rentalId,
    status: s.phase as 'completed' | 'lost',
    paymentStatus: dueMinor > 0 ? 'due' : charged ? 'paid' : 'none',
    at: endedAt,
    returnedAt: ret?.at,
    returnStationSn: ret?.stationSn ?? null,
    returnSlot: ret?.slot ?? null,
    usageMinor: st.usageMinor,
    fineMinor: st.fineMinor,
    lostMinor: st.lostMinor,
    dueMinor,
    powerBankSn: powerBankOf(input, s),
    event: timelineEvent(input, s.phase === 'lost' ? 'lost' : 'returned', 'closed', endedAt, {
      ...(ret ? { station_sn: ret.stationSn, slot: ret.slot } : {}),
      ...st,
      due_minor: dueMinor,
    }),
  });
  if (ret) {
    await db.notifyRental({
      event: timelineEvent(input, 'notified', 'notified:returned', endedAt),
      notification: messages.returned(input, st.usedMinutes, st.totalMinor),
    });
  } else {
    await db.notifyRental({ event: timelineEvent(input, 'notified', 'notified:lost', endedAt), notification: messages.lost(input, st.totalMinor) });
  }
  if (st.fineMinor > 0 || dueMinor > 0) {
    await db.notifyRental({
      event: timelineEvent(input, 'notified', 'notified:fines-dues', endedAt, { fine_minor: st.fineMinor, due_minor: dueMinor }),
      notification: messages.finesDues(input, st.fineMinor, dueMinor),
    });
  }
}
