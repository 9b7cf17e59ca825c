import type { LoanActivityDeps } from './loan.activities';

/** EMI schedules: filled in with the EMI workflow. */
export function createEmiActivities(_deps: LoanActivityDeps) {
  return {};
}
