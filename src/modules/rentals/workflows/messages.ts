import { formatMinor } from '../../../kernel/money';
import type { RentalNotification } from '../activities/rental.activities';
import type { RentalInput } from './definitions';
import { rentalCurrency } from '../rules/currency';

/** Notification types of seed 001: Rental Status, Time Alert, Fines/Dues (all FCM + in-app). */
export type RentalNotificationType = 'rental_status' | 'rental_time_alert' | 'fines_dues';

/** An amount as the rider reads it, in the rental's currency: "NPR 5.00". */
const money = (i: RentalInput, minor: number) => `${rentalCurrency(i.pkg)} ${formatMinor(minor, rentalCurrency(i.pkg))}`;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export function rentalNotification(
  input: RentalInput,
  key: string,
  type: RentalNotificationType,
  title: string,
  body: string,
  data: Record<string, unknown> = {},
): RentalNotification {
  return {
    userId: input.userId,
    channels: ['in_app', 'push'],
    dedupeKey: `rental:${input.rentalId}:${key}`,
    message: { type, title, body, data: { rental_id: input.rentalId, ...data } },
  };
}

export const messages = {
  ejected: (i: RentalInput, slot: number, dueAt: number) =>
    rentalNotification(
      i,
      'ejected',
      'rental_status',
      'Power bank ready',
      `Take your power bank from slot ${slot} at station ${i.stationSn}. Return it by ${hhmm(dueAt)} UTC.`,
      { slot, due_at: new Date(dueAt).toISOString() },
    ),
  failed: (i: RentalInput, reason: string, refunded: boolean) =>
    rentalNotification(
      i,
      'failed',
      'rental_status',
      'Rental could not start',
      `The power bank was not ejected (${reason}).${refunded ? ' Your payment was refunded.' : ' Nothing was charged.'}`,
    ),
  releasedAfterFailure: (i: RentalInput) =>
    rentalNotification(
      i,
      'released-after-failure',
      'rental_status',
      'Please return the power bank',
      `Your rental could not start and nothing was charged, but station ${i.stationSn} reports that power bank ${i.powerBankSn} has left slot ${i.slot}. If you have it, please return it to any station.`,
      { station_sn: i.stationSn, slot: i.slot, power_bank_sn: i.powerBankSn },
    ),
  timeAlert: (i: RentalInput, dueAt: number) =>
    rentalNotification(
      i,
      `time-alert:${dueAt}`,
      'rental_time_alert',
      'Return your power bank soon',
      `Your rental ends at ${hhmm(dueAt)} UTC (${i.rules.timeAlertMinutes} minutes). Return it to any station to avoid fines.`,
      { due_at: new Date(dueAt).toISOString() },
    ),
  overdue: (i: RentalInput) =>
    rentalNotification(
      i,
      'overdue',
      'fines_dues',
      'Rental overdue',
      `Your rental is overdue: ${money(i, i.rules.finePerPeriodMinor)} per started ${i.rules.finePeriodMinutes} minutes until you return the power bank (at most ${money(i, i.rules.fineCapMinor)}).`,
    ),
  returned: (i: RentalInput, usedMinutes: number, chargedMinor: number) =>
    rentalNotification(
      i,
      'returned',
      'rental_status',
      'Power bank returned',
      `Thanks! You used it for ${usedMinutes} minutes.${chargedMinor ? ` ${money(i, chargedMinor)} was charged.` : ''}`,
      { used_minutes: usedMinutes, charged_minor: chargedMinor },
    ),
  cancelled: (i: RentalInput, refunded: boolean) =>
    rentalNotification(
      i,
      'cancelled',
      'rental_status',
      'Rental cancelled',
      `Your rental was cancelled free of charge.${refunded ? ' Your payment was refunded.' : ''}`,
    ),
  lost: (i: RentalInput, chargedMinor: number) =>
    rentalNotification(
      i,
      'lost',
      'fines_dues',
      'Power bank counted as lost',
      `The power bank was not returned in time and counts as lost: ${money(i, chargedMinor)} was charged (fines and its price).`,
      { charged_minor: chargedMinor },
    ),
  finesDues: (i: RentalInput, fineMinor: number, dueMinor: number) =>
    rentalNotification(
      i,
      'fines-dues',
      'fines_dues',
      dueMinor ? 'Payment due' : 'Late return fine',
      `${fineMinor ? `A late-return fine of ${money(i, fineMinor)} applies. ` : ''}${dueMinor ? `${money(i, dueMinor)} could not be taken from your points and wallet and is due: new rentals are blocked until you pay it.` : 'It was taken from your points and wallet.'}`,
      { fine_minor: fineMinor, due_minor: dueMinor },
    ),
};
