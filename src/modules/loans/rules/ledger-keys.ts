import type { AccountRef } from '../../ledger';

/** The fleet's ledger accounts, all in the surface's currency (INR), amounts in paise. */
export const loanReceivable = (loanId: number, currency: string): AccountRef => ({
  ownerType: 'system',
  ownerId: `loan:${loanId}`,
  kind: 'loan_receivable',
  currency,
});
export const lenderFunding = (currency: string): AccountRef => ({ ownerType: 'system', ownerId: 'nbfc', kind: 'lender_funding', currency });
export const interestIncome = (currency: string): AccountRef => ({ ownerType: 'system', ownerId: 'platform', kind: 'interest_income', currency });
export const lateFees = (currency: string): AccountRef => ({ ownerType: 'system', ownerId: 'platform', kind: 'fines', currency });
export const foreclosureFees = (currency: string): AccountRef => ({ ownerType: 'system', ownerId: 'platform', kind: 'foreclosure_fees', currency });
export const razorpayClearing = (currency: string): AccountRef => ({ ownerType: 'gateway', ownerId: 'razorpay', kind: 'gateway_clearing', currency });

/** India time (IST, +05:30, no daylight saving): the calendar day of an instant. */
export const istDate = (ms: number) => new Date(ms + 330 * 60_000).toISOString().slice(0, 10);
/** The instant an IST calendar day starts. */
export const istDayStartMs = (date: string) => Date.parse(`${date}T00:00:00+05:30`);
