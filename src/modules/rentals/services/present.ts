import { formatMinor, toInt } from '../../../kernel/money';
import { fineAt, type RentalRules } from '../rules/rules';
import { isoOrNull } from '../../../kernel/present';

const money = (minor: number, currency: string) => ({ amount: formatMinor(minor, currency), amount_minor: minor });

/** The columns `presentRental` reads: a rentals row joined with its package's name and currency. */
export const RENTAL_SELECT = `select r.*, p.name as package_name, p.currency from rentals r join rental_packages p on p.id = r.package_id`;

/**
 * A rentals row as the API shows it. An overdue rental also shows the fine accrued so far
 * (the settlement charges the same rule at the return).
 */
export function presentRental(r: Record<string, unknown>, rules: RentalRules, now = Date.now()) {
  const dueAt = r.due_at ? new Date(r.due_at as string).getTime() : null;
  const open = ['active', 'overdue', 'cancelling'].includes(String(r.status));
  const accrued = open && dueAt !== null ? fineAt(dueAt, now, rules) : toInt(r.fine_minor);
  const currency = String(r.currency);
  return {
    id: String(r.id),
    status: String(r.status),
    payment_status: String(r.payment_status),
    payment_model: String(r.payment_model),
    payment_mode: String(r.payment_mode),
    station_sn: String(r.station_sn),
    slot: toInt(r.slot_index),
    power_bank_sn: String(r.power_bank_sn),
    package: {
      id: String(r.package_id),
      name: (r.package_name as string) ?? null,
      duration_minutes: toInt(r.duration_minutes),
      price: formatMinor(toInt(r.price_minor), currency),
      price_minor: toInt(r.price_minor),
    },
    extensions: toInt(r.extensions),
    started_at: isoOrNull(r.started_at),
    due_at: isoOrNull(r.due_at),
    returned_at: isoOrNull(r.returned_at),
    ended_at: isoOrNull(r.ended_at),
    return_station_sn: (r.return_station_sn as string) ?? null,
    return_slot: r.return_slot_index === null || r.return_slot_index === undefined ? null : toInt(r.return_slot_index),
    time_remaining_seconds: open && dueAt !== null ? Math.max(0, Math.floor((dueAt - now) / 1000)) : null,
    overdue: String(r.status) === 'overdue' || (open && dueAt !== null && now > dueAt),
    currency,
    charges: {
      paid: money(toInt(r.paid_minor), currency),
      usage: money(toInt(r.usage_minor), currency),
      fine: money(accrued, currency),
      lost: money(toInt(r.lost_minor), currency),
      due: money(String(r.payment_status) === 'due' ? toInt(r.due_minor) : 0, currency),
    },
    due_paid_at: isoOrNull(r.due_paid_at),
    cancel_requested_at: isoOrNull(r.cancel_requested_at),
    failure: r.failure_code ? { code: String(r.failure_code), reason: (r.failure_reason as string) ?? null } : null,
    created_at: isoOrNull(r.created_at),
  };
}
export type PresentedRental = ReturnType<typeof presentRental>;
