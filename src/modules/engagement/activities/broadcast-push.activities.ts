import { ApplicationFailure, Context } from '@temporalio/activity';
import { createNotificationActivities, type NotificationActivityDeps } from './notification.activities';

/** Pushes sent at once within a batch. */
const PARALLEL = 8;
/** Attempts (of sendPush, across activity retries) before a broadcast push is given up as failed. */
const MAX_ATTEMPTS = 5;

/**
 * A broadcast's push step, the same delivery as a single notification's `notify:<id>` workflow
 * (sendPush: the fcm_logs row, the device tokens, the push sender, per-token results so a retry
 * skips devices already reached), but batched: one activity sends up to `limit` of the broadcast's
 * pending logs (`sending`, created by deliverBroadcastBatch) instead of one workflow per user.
 */
export function createBroadcastPushActivities(deps: NotificationActivityDeps) {
  const { sendPush, markPushFailed } = createNotificationActivities(deps);
  const conn = () => deps.orm.em.getConnection();

  /** Gives up a log after MAX_ATTEMPTS; true when it stays pending for a later retry. */
  async function failed(notificationId: string, err: Error): Promise<boolean> {
    const [log] = await conn().execute(`select attempts from fcm_logs where notification_id = ?`, [notificationId]);
    if (Number(log?.attempts ?? 0) < MAX_ATTEMPTS) return true;
    await markPushFailed({ notificationId, error: err.message });
    return false;
  }

  return {
    async pushBroadcastBatch(input: { broadcastId: string; limit: number }): Promise<{ sent: number; more: boolean }> {
      const rows = await conn().execute<{ notification_id: string }[]>(
        `select notification_id from fcm_logs where status = 'sending' and data->>'broadcast_id' = ? order by created_at, id limit ?`,
        [input.broadcastId, input.limit],
      );
      let pending = 0;
      for (let i = 0; i < rows.length; i += PARALLEL) {
        const chunk = rows.slice(i, i + PARALLEL).map((r) => r.notification_id);
        const results = await Promise.allSettled(chunk.map((notificationId) => sendPush({ notificationId })));
        for (const [j, r] of results.entries()) if (r.status === 'rejected' && (await failed(chunk[j], r.reason as Error))) pending++;
        Context.current().heartbeat(i);
      }
      if (pending) throw ApplicationFailure.retryable(`${pending} broadcast pushes failed for now`, 'PushTransientError');
      return { sent: rows.length, more: rows.length === input.limit };
    },
  };
}
export type BroadcastPushActivities = ReturnType<typeof createBroadcastPushActivities>;
