/**
 * The reducing-balance EMI schedule, exactly in paise (pure, workflow-safe).
 *   EMI = P·r·(1+r)^n / ((1+r)^n − 1), r = annual rate / 12 / 100
 * Rounding: the EMI is rounded half-up to the paisa; each month's interest is the balance × r
 * rounded half-up to the paisa (integer arithmetic on the rate in hundredths of a percent); the
 * principal part is EMI − interest; the last instalment takes the whole remaining balance (a
 * balancing figure), so the principal parts sum to P exactly. A 0 % loan splits P evenly, the
 * last instalment absorbing the remainder.
 */
export interface Instalment {
  seq: number;
  dueDate: string;
  emiPaise: number;
  principalPaise: number;
  interestPaise: number;
  balanceAfterPaise: number;
}

/** 12.5 % → 1250 (hundredths of a percent); at most two decimals. */
export const rateHundredths = (annualRatePercent: number) => Math.round(annualRatePercent * 100);

/** round-half-up(balance × rate / 1200) with the rate in hundredths of a percent: balance × h / 120000. */
export function monthlyInterestPaise(balancePaise: number, hundredths: number): number {
  const num = BigInt(balancePaise) * BigInt(hundredths);
  return Number((num * 2n + 120000n) / 240000n);
}

export function emiPaise(principalPaise: number, annualRatePercent: number, months: number): number {
  if (annualRatePercent === 0) return Math.ceil(principalPaise / months);
  const r = rateHundredths(annualRatePercent) / 120000;
  const f = Math.pow(1 + r, months);
  return Math.round((principalPaise * r * f) / (f - 1));
}

/** The due date of instalment `seq` (1-based): the same day of the month as the first, clamped to the month's end. */
export function dueDate(firstDue: string, seq: number): string {
  const [y, m, d] = firstDue.split('-').map(Number);
  const month = m - 1 + (seq - 1);
  const year = y + Math.floor(month / 12);
  const mon = month % 12;
  const last = new Date(Date.UTC(year, mon + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, mon, Math.min(d, last))).toISOString().slice(0, 10);
}

export function emiSchedule(principalPaise: number, annualRatePercent: number, months: number, firstDue: string): Instalment[] {
  const emi = emiPaise(principalPaise, annualRatePercent, months);
  const h = rateHundredths(annualRatePercent);
  const rows: Instalment[] = [];
  let balance = principalPaise;
  for (let seq = 1; seq <= months; seq++) {
    const interest = monthlyInterestPaise(balance, h);
    const principal = seq === months ? balance : Math.min(balance, emi - interest);
    balance -= principal;
    rows.push({
      seq,
      dueDate: dueDate(firstDue, seq),
      emiPaise: principal + interest,
      principalPaise: principal,
      interestPaise: interest,
      balanceAfterPaise: balance,
    });
  }
  return rows;
}

/** Whole days from the due date (YYYY-MM-DD, India time) to `nowMs`; 0 before or on the day. */
export function daysOverdue(due: string, nowMs: number): number {
  const dueMs = Date.parse(`${due}T23:59:59+05:30`);
  return nowMs <= dueMs ? 0 : Math.ceil((nowMs - dueMs) / 86_400_000);
}

/** The late fee after `overdueDays`: per day past the grace period, capped. */
export function lateFeePaise(overdueDays: number, rules: { graceDays: number; lateFeePerDayPaise: number; lateFeeCapPaise: number }): number {
  return Math.min(rules.lateFeeCapPaise, Math.max(0, overdueDays - rules.graceDays) * rules.lateFeePerDayPaise);
}
