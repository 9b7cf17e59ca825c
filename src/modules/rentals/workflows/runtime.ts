import { ActivityFailure, ApplicationFailure, isCancellation, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { DeviceCommandActivities } from '../../../kernel/devices/protocol';
import type { LedgerActivities } from '../../ledger';
import type { SocialActivities } from '../../social';
import type { RentalActivities } from '../activities/rental.activities';
import type { RentalSettlementActivities } from '../activities/rental-settlement.activities';
import { db, money, social } from './acts';

type MoneyActivities = RentalActivities & LedgerActivities;

/**
 * Where a rental's steps take their activities and their versions from. The first version
 * (`rentalWorkflow`) schedules every step as an activity and asks `patched()` at each change, so its
 * histories replay; the second (`rentalV2Workflow`, ./rental-v2.workflow.ts) runs the same steps as
 * local activities, first, and is its latest code without a patch marker.
 */
export interface RentalRuntime {
  db: RentalActivities & RentalSettlementActivities;
  money: MoneyActivities;
  social: SocialActivities;
  /**
   * The steps a timer wakes (Time Alert, overdue, a lapsed cancel): no request waits on them and a
   * plain rental has none, so both versions run them as ordinary activities (as local ones they
   * would save a task per alert; in skipped time, under load, they made the timer tests flaky).
   */
  timeline: Pick<RentalActivities, 'rentalStatusChanged' | 'notifyRental'>;
  /** Whether this run has the change: `patched(id)` in the first version, always in the second. */
  has: (patchId: string) => boolean;
}

/** The first version: ordinary activities, `patched()` for each change. */
export const RENTAL_V1: RentalRuntime = { db, money, social, timeline: db, has: patched };

/** Errors a retry cannot change: what the worker's classification made final, the business answers, and a cancellation. */
const FINAL_TYPES = ['InsufficientBalance', 'AppError', 'DataError', 'BrokerUnreachable'];
export function isFinalFailure(err: unknown): boolean {
  if (isCancellation(err)) return true;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && (cause.nonRetryable || FINAL_TYPES.includes(cause.type ?? ''));
}

/** A few quick tries inside the workflow task: database steps take milliseconds when the database is there. */
const LOCAL = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '2 seconds', maximumAttempts: 3, nonRetryableErrorTypes: FINAL_TYPES },
} as const;

/**
 * Each call runs as a local activity (a marker in the history, no task of its own); if it still
 * fails for a reason that may pass (the database is away), the same step runs as an ordinary
 * activity with the first version's retry policy: retried without a cap, visible on the server as
 * a pending activity with its attempt count. A final error goes to the workflow as it is.
 */
function localFirst<A extends object>(local: A, remote: A): A {
  return new Proxy({} as A, {
    get(_, name) {
      return async (...args: unknown[]) => {
        const call = (acts: A) => (acts as Record<string | symbol, (...a: unknown[]) => Promise<unknown>>)[name](...args);
        try {
          return await call(local);
        } catch (err) {
          if (isFinalFailure(err)) throw err;
          return call(remote);
        }
      };
    },
  });
}

/** The second version: local activities first, every change in. */
export const RENTAL_V2: RentalRuntime = {
  db: localFirst(proxyLocalActivities<RentalRuntime['db']>(LOCAL), db),
  money: localFirst(proxyLocalActivities<MoneyActivities>(LOCAL), money),
  social: localFirst(proxyLocalActivities<SocialActivities>(LOCAL), social),
  timeline: db,
  has: () => true,
};

/** The device commander's two activities as local ones (the publish keeps its bounded retries; the outcome record falls back like `db`). */
export function localDeviceActivities(waitMs: number): Pick<DeviceCommandActivities, 'publishDeviceCommand' | 'recordCommandOutcome'> {
  const publish = proxyLocalActivities<DeviceCommandActivities>({
    startToCloseTimeout: waitMs + 10_000,
    retry: { maximumAttempts: 5, initialInterval: '200 milliseconds', nonRetryableErrorTypes: ['BrokerUnreachable'] },
  });
  const record = localFirst(
    proxyLocalActivities<DeviceCommandActivities>(LOCAL),
    proxyActivities<DeviceCommandActivities>({
      startToCloseTimeout: '10 seconds',
      retry: { initialInterval: '200 milliseconds', maximumInterval: '1 minute' },
    }),
  );
  return { publishDeviceCommand: publish.publishDeviceCommand, recordCommandOutcome: record.recordCommandOutcome };
}
