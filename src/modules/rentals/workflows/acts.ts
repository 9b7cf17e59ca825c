import { proxyActivities } from '@temporalio/workflow';
import type { LedgerActivities } from '../../ledger';
import type { RentalActivities } from '../activities/rental.activities';

/** Database steps: retried with backoff (each is idempotent). */
export const db = proxyActivities<RentalActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Money steps: a shortfall is final, anything else is retried (ledger keys make it safe). */
export const money = proxyActivities<RentalActivities & LedgerActivities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['InsufficientBalance', 'AppError'],
  },
});
