import { proxyActivities, sleep } from '@temporalio/workflow';
import type { EjectWatchActivities } from '../activities/eject-watch.activities';
import { EJECT_WATCH_DEFAULTS } from '../rules/review';
import { MINUTE } from '../rules/rules';
import { db } from './acts';
import type { RentalInput } from './definitions';
import { messages } from './messages';

/** Database reads and verdicts of the watch: retried like the other database steps. */
const watch = proxyActivities<EjectWatchActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '1 minute' },
});

export type EjectWatchOutcome = 'present' | 'released' | 'unconfirmed';

/**
 * After an eject timed out and the rental failed (refunded, the start API already answered):
 * the ack AND the slot event may both have been lost while the latch did open. Durable timers
 * look at the bay every `intervalSeconds` for `minutes`, and only a report the kiosk sent after
 * the watch began counts:
 *   - the bay still holds the power bank → the failure stands;
 *   - the bay let it go → the rental is flagged `ejected_after_failure` for admins, the power bank
 *     counts as out with this user, the user is asked to return it; nothing is charged;
 *   - no report in time → flagged `eject_unconfirmed` for admins; the failure stands.
 */
export async function watchBayAfterEjectTimeout(input: RentalInput): Promise<EjectWatchOutcome> {
  const minutes = input.ejectWatch?.minutes ?? EJECT_WATCH_DEFAULTS.minutes;
  const intervalSeconds = input.ejectWatch?.intervalSeconds ?? EJECT_WATCH_DEFAULTS.intervalSeconds;
  const bay = { rentalId: input.rentalId, stationSn: input.stationSn, slot: input.slot, powerBankSn: input.powerBankSn };
  const until = Date.now() + minutes * MINUTE;
  const { since } = await watch.ejectWatchStarted({ rentalId: input.rentalId, at: Date.now(), minutes, intervalSeconds });

  for (;;) {
    const wait = Math.min(intervalSeconds * 1000, until - Date.now());
    if (wait > 0) await sleep(wait);
    const report = await watch.bayReport({ ...bay, since });
    const at = Date.now();
    if (report.state === 'present') {
      await watch.ejectWatchEnded({ rentalId: input.rentalId, outcome: 'present', at, reportedAt: report.reportedAt });
      return 'present';
    }
    if (report.state === 'released') {
      const { returned } = await watch.releasedAfterFailedEject({ ...bay, at, reportedAt: report.reportedAt });
      if (!returned) {
        await db.notifyRental({
          event: { rentalId: input.rentalId, type: 'notified', key: 'notified:released-after-failure', at },
          notification: messages.releasedAfterFailure(input),
        });
      }
      return 'released';
    }
    if (at >= until) {
      await watch.ejectWatchEnded({ rentalId: input.rentalId, outcome: 'unconfirmed', at });
      return 'unconfirmed';
    }
  }
}
