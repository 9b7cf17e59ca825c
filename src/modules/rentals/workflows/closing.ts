import type { ChargeInput, EntryType } from '../../ledger';
import type { RentalClosedInput, RentalEventInput, RentalNotification } from '../activities/rental.activities';
import { rentalCurrency } from '../rules/currency';
import type { Settlement } from '../rules/rules';
import { rentalKeys, type RentalInput, type ReturnEvent } from './definitions';
import { messages } from './messages';

/**
 * What a settlement writes, as data: the charges (each under its own ledger key), the closed row
 * and the rider's notifications. Pure, so the first version's workflow (one activity per line,
 * ./settle.ts) and the second's single settlement activity write exactly the same things.
 */

export type Returned = ReturnEvent & { at: number };

/** How the rental ended, as the settlement needs it. */
export interface SettledRental {
  phase: 'completed' | 'lost';
  paidMinor: number;
  powerBankSn: string;
  ret?: Returned;
  endedAt: number;
}

export const timelineEvent = (input: RentalInput, type: string, key: string, at: number, data?: Record<string, unknown>): RentalEventInput => ({
  rentalId: input.rentalId,
  type,
  key,
  at,
  data,
});

/** Usage, fine and loss, in that order, each under its own key; nothing for a zero amount. */
export function settlementCharges(input: RentalInput, st: Settlement, powerBankSn: string): ChargeInput[] {
  const charge = (key: string, amountMinor: number, type: EntryType, to: 'revenue' | 'fines', description: string): ChargeInput => ({
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
  return [
    charge(rentalKeys.usage(input.rentalId), st.usageMinor, 'rental_charge', 'revenue', `Rental usage: ${st.usedMinutes} min`),
    charge(rentalKeys.fine(input.rentalId), st.fineMinor, 'fine', 'fines', `Late return: ${st.overdueMinutes} min overdue`),
    charge(rentalKeys.lost(input.rentalId), st.lostMinor, 'rental_charge', 'revenue', `Power bank ${powerBankSn} not returned`),
  ].filter((c) => c.amountMinor > 0);
}

/** The row closed as completed or lost, and what the rider is told was charged and is due. */
export function settledClosing(
  input: RentalInput,
  r: SettledRental,
  st: Settlement,
  dueMinor: number,
): { closed: RentalClosedInput; notices: { event: RentalEventInput; notification: RentalNotification }[] } {
  const { ret, endedAt } = r;
  const charged = st.totalMinor > 0 || r.paidMinor > 0;
  const closed: RentalClosedInput = {
    rentalId: input.rentalId,
    status: r.phase,
    paymentStatus: dueMinor > 0 ? 'due' : charged ? 'paid' : 'none',
    at: endedAt,
    returnedAt: ret?.at,
    returnStationSn: ret?.stationSn ?? null,
    returnSlot: ret?.slot ?? null,
    usageMinor: st.usageMinor,
    fineMinor: st.fineMinor,
    lostMinor: st.lostMinor,
    dueMinor,
    powerBankSn: r.powerBankSn,
    event: timelineEvent(input, r.phase === 'lost' ? 'lost' : 'returned', 'closed', endedAt, {
      ...(ret ? { station_sn: ret.stationSn, slot: ret.slot } : {}),
      ...st,
      due_minor: dueMinor,
    }),
  };
  const notices = [
    ret
      ? { event: timelineEvent(input, 'notified', 'notified:returned', endedAt), notification: messages.returned(input, st.usedMinutes, st.totalMinor) }
      : { event: timelineEvent(input, 'notified', 'notified:lost', endedAt), notification: messages.lost(input, st.totalMinor) },
  ];
  if (st.fineMinor > 0 || dueMinor > 0) {
    notices.push({
      event: timelineEvent(input, 'notified', 'notified:fines-dues', endedAt, { fine_minor: st.fineMinor, due_minor: dueMinor }),
      notification: messages.finesDues(input, st.fineMinor, dueMinor),
    });
  }
  return { closed, notices };
}
