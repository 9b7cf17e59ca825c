import { continueAsNew, defineQuery, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BroadcastPushActivities } from '../activities/broadcast-push.activities';
import type { BroadcastActivities } from '../activities/broadcast.activities';
import { BROADCAST_PROGRESS_QUERY, type BroadcastProgress, type BroadcastWorkflow } from './definitions';

const progressQuery = defineQuery<BroadcastProgress>(BROADCAST_PROGRESS_QUERY);

// Database steps: retried without an attempt cap, backing off to once a minute (docs/ARCHITECTURE.md).
// A batch is one short transaction: a worker that dies mid-batch is noticed after 20 s, not minutes.
const { deliverBroadcastBatch } = proxyActivities<BroadcastActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// A batch's pushes (FCM calls): heartbeats after every few sends; a log is given up after 5 attempts.
const { pushBroadcastBatch } = proxyActivities<BroadcastPushActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Sends every pending push of the broadcast (normally the last batch's; also any a crash left behind). */
async function pushPending(broadcastId: string, limit: number): Promise<void> {
  while ((await pushBroadcastBatch({ broadcastId, limit })).more);
}

/**
 * `broadcast:<id>`: sends the broadcast in batches. The broadcast's row is the truth: each batch
 * reads its cursor, writes one notification per user (deduplicated per broadcast and user) and
 * moves the cursor and counters in the same transaction, so a retried batch or a restarted worker
 * never reaches a user twice. A batch's users with a device also get a push: the batch writes their
 * push logs in the same transaction and pushBroadcastBatch sends them (each log once, whoever
 * retries). After `batchesPerRun` batches the run continues as new.
 */
export const broadcastWorkflow: BroadcastWorkflow = async function broadcastWorkflow(input) {
  const batchSize = input.batchSize ?? 500;
  const batchesPerRun = input.batchesPerRun ?? 20;
  let progress: BroadcastProgress = { broadcastId: input.broadcastId, delivered: 0, batches: 0, cursor: null, done: false };
  setHandler(progressQuery, () => progress);
  const push = patched('broadcast-push');
  for (let i = 0; i < batchesPerRun; i++) {
    progress = await deliverBroadcastBatch({ broadcastId: input.broadcastId, batchSize });
    if (push && (progress.done || (progress.pushes ?? 0) > 0)) await pushPending(input.broadcastId, batchSize);
    if (progress.done) return progress;
  }
  return continueAsNew<BroadcastWorkflow>(input);
};
