import { emiSchedule, rateHundredths } from './emi';

/**
 * Prepayment and foreclosure arithmetic, exactly in paise (pure).
 * - Interest accrued in the current period: outstanding principal × annual rate × days / 365
 *   (actual/365), rounded half-up to the paisa: P × h × days / 3 650 000 with the rate in
 *   hundredths of a percent.
 * - The foreclosure fee: the outstanding principal × `feeBps` / 10 000, rounded half-up.
 * - A part-prepayment keeps the tenure and shrinks the EMI: the principal still to fall due
 *   minus the prepayment is re-scheduled over the same remaining instalments (same due dates).
 */
const halfUp = (num: bigint, den: bigint) => Number((num * 2n + den) / (den * 2n));

export function accruedInterestPaise(principalPaise: number, annualRatePercent: number, days: number): number {
  if (days <= 0 || principalPaise <= 0) return 0;
  return halfUp(BigInt(principalPaise) * BigInt(rateHundredths(annualRatePercent)) * BigInt(days), 3_650_000n);
}

export const foreclosureFeePaise = (principalPaise: number, feeBps: number) =>
  principalPaise <= 0 ? 0 : halfUp(BigInt(principalPaise) * BigInt(feeBps), 10_000n);

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The remaining instalments' new amounts after `prepaidPaise` of `remainingPrincipalPaise` is paid early (same count). */
export function rescheduleAfterPrepayment(remainingPrincipalPaise: number, prepaidPaise: number, annualRatePercent: number, count: number) {
  return emiSchedule(remainingPrincipalPaise - prepaidPaise, annualRatePercent, count, '2000-01-01').map((i) => ({
    emiPaise: i.emiPaise,
    principalPaise: i.principalPaise,
    interestPaise: i.interestPaise,
  }));
}

export interface ForeclosureQuote {
  /** Principal not yet repaid: the instalments still to fall due plus the due-but-unpaid ones. */
  outstandingPrincipalPaise: number;
  /** Recognised interest and late fees not yet paid (the ledger's receivable minus that principal). */
  duesPaise: number;
  /** Interest on the principal still to fall due since the last due date (or disbursement), actual/365. */
  accruedInterestPaise: number;
  feePaise: number;
  totalPaise: number;
  accruedDays: number;
}

export function foreclosureQuote(q: {
  receivablePaise: number;
  outstandingPrincipalPaise: number;
  upcomingPrincipalPaise: number;
  annualRatePercent: number;
  accruedDays: number;
  feeBps: number;
}): ForeclosureQuote {
  const accrued = accruedInterestPaise(q.upcomingPrincipalPaise, q.annualRatePercent, q.accruedDays);
  const fee = foreclosureFeePaise(q.outstandingPrincipalPaise, q.feeBps);
  return {
    outstandingPrincipalPaise: q.outstandingPrincipalPaise,
    duesPaise: q.receivablePaise - q.outstandingPrincipalPaise,
    accruedInterestPaise: accrued,
    feePaise: fee,
    totalPaise: q.receivablePaise + accrued + fee,
    accruedDays: Math.max(0, q.accruedDays),
  };
}
