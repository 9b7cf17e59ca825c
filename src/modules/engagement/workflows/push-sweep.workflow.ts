import { proxyActivities } from '@temporalio/workflow';
import type { PushSweepActivities, PushSweepBatch, PushSweepCursor } from '../activities/push-sweep.activities';
import type { PushSweepWorkflow } from './definitions';

/** At most this many batches per run (PUSH_SWEEP_BATCH_SIZE logs each); the next run goes on. */
export const PUSH_SWEEP_MAX_BATCHES = 10;

const { sweepQueuedPushes } = proxyActivities<PushSweepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/**
 * One run of the push sweeper schedule (`push-sweeper:<taskQueue>`): starts the `notify:<id>`
 * workflow of every push whose fcm_logs row is still `queued` after the grace period; pushes
 * older than PUSH_SWEEP_MAX_AGE_MINUTES are marked failed (expired) instead of sent late.
 */
export const pushSweepWorkflow: PushSweepWorkflow = async function pushSweepWorkflow() {
  let after: PushSweepCursor | null = null;
  let expired = 0;
  let scanned = 0;
  let started = 0;
  let batches = 0;
  while (batches < PUSH_SWEEP_MAX_BATCHES) {
    const batch: PushSweepBatch = await sweepQueuedPushes({ after });
    batches++;
    expired += batch.expired;
    scanned += batch.scanned;
    started += batch.started;
    if (!batch.next) break;
    after = batch.next;
  }
  return { expired, scanned, started, batches };
};
