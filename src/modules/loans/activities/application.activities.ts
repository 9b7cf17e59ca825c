import type { LoanActivityDeps } from './loan.activities';

/** Loan applications: filled in with the NBFC step. */
export function createApplicationActivities(_deps: LoanActivityDeps) {
  return {};
}
