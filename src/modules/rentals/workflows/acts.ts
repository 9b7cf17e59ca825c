import { proxyActivities } from '@temporalio/workflow';
import type { LedgerActivities } from '../../ledger';
import type { SocialActivities } from '../../social';
import type { RentalActivities } from '../activities/rental.activities';
import type { RentalSettlementActivities } from '../activities/rental-settlement.activities';

/**
 * Database steps: each is idempotent, so an infrastructure error (the database or a dependency
 * down) is retried for as long as it lasts, backing off to one try a minute. What the worker's
 * error classification makes final (bad data, a broken query) reaches the workflow, which parks
 * the rental as `needs_attention` (../../../kernel/temporal/attention.ts).
 */
export const db = proxyActivities<RentalActivities & RentalSettlementActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '1 minute' },
});

/** Money steps: a shortfall is a final business answer; anything else retries like `db` (ledger keys make it safe). */
export const money = proxyActivities<RentalActivities & LedgerActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '1 minute', nonRetryableErrorTypes: ['InsufficientBalance', 'AppError'] },
});

/** Social progress of a settled rental (achievements, leaderboard, timely-return bonus): keyed by the rental, retried like `money`. */
export const social = proxyActivities<SocialActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '1 minute', nonRetryableErrorTypes: ['AppError'] },
});
