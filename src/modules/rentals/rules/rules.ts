/**
 * Pure time and money rules of a rental. No I/O, no clock: callers pass times in epoch ms.
 *
 * - The due time is the ejection time plus the package duration (plus extensions).
 * - The Time Alert fires `timeAlertMinutes` before the due time (never before the ejection).
 * - After the due time a fine accrues per STARTED period, capped; the moment the cap is reached
 *   the power bank counts as lost and its price is charged on top of the capped fine.
 * - Pre-payment: the package price is paid before the ejection; the return charges fines only.
 * - Post-payment: the return charges the usage (per started usage period, at the package's rate
 *   and never more than the price of the packages taken) plus the same fines.
 * - Cancel: asked within `cancelWindowMinutes` of the ejection, and the power bank back within
 *   `cancelReturnMinutes` of the request, the rental is free (pre-payment is refunded in full).
 */
export interface RentalRules {
  timeAlertMinutes: number;
  finePerPeriodMinor: number;
  finePeriodMinutes: number;
  fineCapMinor: number;
  usagePeriodMinutes: number;
  cancelWindowMinutes: number;
  cancelReturnMinutes: number;
}

export const MINUTE = 60_000;

export function rulesFromConfig(c: {
  RENTAL_TIME_ALERT_MINUTES: number;
  RENTAL_FINE_PER_PERIOD_MINOR: number;
  RENTAL_FINE_PERIOD_MINUTES: number;
  RENTAL_FINE_CAP_MINOR: number;
  RENTAL_USAGE_PERIOD_MINUTES: number;
  RENTAL_CANCEL_WINDOW_MINUTES: number;
  RENTAL_CANCEL_RETURN_MINUTES: number;
}): RentalRules {
  return {
    timeAlertMinutes: c.RENTAL_TIME_ALERT_MINUTES,
    finePerPeriodMinor: c.RENTAL_FINE_PER_PERIOD_MINOR,
    finePeriodMinutes: c.RENTAL_FINE_PERIOD_MINUTES,
    fineCapMinor: c.RENTAL_FINE_CAP_MINOR,
    usagePeriodMinutes: c.RENTAL_USAGE_PERIOD_MINUTES,
    cancelWindowMinutes: c.RENTAL_CANCEL_WINDOW_MINUTES,
    cancelReturnMinutes: c.RENTAL_CANCEL_RETURN_MINUTES,
  };
}

/** When the Time Alert is due: `timeAlertMinutes` before `dueAt`; none when the rental is that short. */
export function timeAlertAt(startedAt: number, dueAt: number, r: RentalRules): number | null {
  const at = dueAt - r.timeAlertMinutes * MINUTE;
  return at > startedAt ? at : null;
}

/** Number of fine periods after which the cap is reached. */
export const periodsToCap = (r: RentalRules): number => Math.ceil(r.fineCapMinor / r.finePerPeriodMinor);

/** The moment the fine reaches its cap and the power bank counts as lost. */
export const lostAt = (dueAt: number, r: RentalRules): number => dueAt + periodsToCap(r) * r.finePeriodMinutes * MINUTE;

/** Overdue fine at time `at`: per started period after `dueAt`, capped. */
export function fineAt(dueAt: number, at: number, r: RentalRules): number {
  if (at <= dueAt) return 0;
  const periods = Math.ceil((at - dueAt) / (r.finePeriodMinutes * MINUTE));
  return Math.min(r.fineCapMinor, periods * r.finePerPeriodMinor);
}

/** Price of one usage period at a package's rate, rounded up to whole minor units. */
export const usageRate = (priceMinor: number, durationMinutes: number, r: RentalRules): number =>
  Math.ceil((priceMinor * r.usagePeriodMinutes) / durationMinutes);

export interface UsageInput {
  startedAt: number;
  returnedAt: number;
  /** The first package: it sets the rate. */
  basePriceMinor: number;
  baseDurationMinutes: number;
  /** Price of every package taken (first + extensions): the most usage can cost. */
  priceCapMinor: number;
}

/** Post-payment usage: at least one period, per started period, never above the packages' price. */
export function usageCharge(u: UsageInput, r: RentalRules): number {
  const used = Math.max(0, u.returnedAt - u.startedAt);
  const periods = Math.max(1, Math.ceil(used / (r.usagePeriodMinutes * MINUTE)));
  return Math.min(u.priceCapMinor, periods * usageRate(u.basePriceMinor, u.baseDurationMinutes, r));
}

export const canAskCancel = (startedAt: number, at: number, r: RentalRules): boolean => at - startedAt <= r.cancelWindowMinutes * MINUTE;
export const cancelReturnDeadline = (askedAt: number, r: RentalRules): number => askedAt + r.cancelReturnMinutes * MINUTE;

export interface SettlementInput {
  paymentModel: 'pre_payment' | 'post_payment';
  startedAt: number;
  dueAt: number;
  returnedAt: number;
  basePriceMinor: number;
  baseDurationMinutes: number;
  priceCapMinor: number;
  /** The power bank was declared lost (fine at its cap) and its price is owed. */
  lost?: boolean;
  powerBankPriceMinor: number;
}

export interface Settlement {
  usedMinutes: number;
  overdueMinutes: number;
  usageMinor: number;
  fineMinor: number;
  lostMinor: number;
  totalMinor: number;
}

/** What the return (or the loss) charges. */
export function settle(s: SettlementInput, r: RentalRules): Settlement {
  const usageMinor = s.paymentModel === 'post_payment' ? usageCharge({ ...s }, r) : 0;
  const fineMinor = fineAt(s.dueAt, s.returnedAt, r);
  const lostMinor = s.lost ? s.powerBankPriceMinor : 0;
  return {
    usedMinutes: Math.ceil(Math.max(0, s.returnedAt - s.startedAt) / MINUTE),
    overdueMinutes: Math.ceil(Math.max(0, s.returnedAt - s.dueAt) / MINUTE),
    usageMinor,
    fineMinor,
    lostMinor,
    totalMinor: usageMinor + fineMinor + lostMinor,
  };
}
