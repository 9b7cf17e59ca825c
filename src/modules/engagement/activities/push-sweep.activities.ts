import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import { startNotifyWorkflow } from '../services/notify-workflow';

export interface PushSweepActivityDeps {
  orm: MikroORM;
  config: Pick<Config, 'PUSH_SWEEP_GRACE_SECONDS' | 'PUSH_SWEEP_BATCH_SIZE' | 'PUSH_SWEEP_MAX_AGE_MINUTES'>;
}

/**
 * A single push (not a broadcast's) still `sending` this long after its last write was left by an
 * inline send whose process died mid-send: its workflow is started (a workflow already retrying it
 * is left alone, its id being taken).
 */
const ABANDONED_SENDING = '5 minutes';

/** Position after the last log of a batch: `created_at` as PostgreSQL text (microseconds kept), then id. */
export interface PushSweepCursor {
  createdAt: string;
  id: string;
}

export interface PushSweepBatch {
  /** Logs too old to send, marked failed (first batch of a run only). */
  expired: number;
  scanned: number;
  started: number;
  alreadyStarted: number;
  /** Null when this batch was the last one. */
  next: PushSweepCursor | null;
}

/**
 * The push sweeper's one activity: a batch of fcm_logs still `queued` after the grace period (or
 * abandoned mid-send, ABANDONED_SENDING),
 * oldest first, and for each the `notify:<id>` workflow started on this worker's task queue (the
 * queue the services use). A log whose workflow exists already (running, or closed: the id is never
 * reused) is left to it, so a push is sent once however often the sweep runs.
 */
export function createPushSweepActivities({ orm, config }: PushSweepActivityDeps) {
  return {
    async sweepQueuedPushes(input: { after?: PushSweepCursor | null }): Promise<PushSweepBatch> {
      const limit = config.PUSH_SWEEP_BATCH_SIZE;
      // Too late to be useful: never sent. sendPush treats `failed` as final, should its workflow run after all.
      const expired = input.after
        ? []
        : await orm.em.getConnection().execute<{ id: string }[]>(
            `update fcm_logs set status = 'failed', error = ?, updated_at = now()
         where status = 'queued' and created_at < now() - make_interval(mins => ?) returning id`,
            [`expired: still queued after ${config.PUSH_SWEEP_MAX_AGE_MINUTES} minutes`, config.PUSH_SWEEP_MAX_AGE_MINUTES],
          );
      const after = input.after ? `and (created_at, id) > (?::timestamptz, ?::uuid)` : '';
      const rows = await orm.em.getConnection().execute<{ id: string; notification_id: string; user_id: string; created_at: string }[]>(
        `select id, notification_id, user_id, created_at::text as created_at from fcm_logs
         where (status = 'queued' and created_at < now() - make_interval(secs => ?)
                or status = 'sending' and data->>'broadcast_id' is null and updated_at < now() - interval '${ABANDONED_SENDING}') ${after}
         order by created_at, id limit ?`,
        [config.PUSH_SWEEP_GRACE_SECONDS, ...(input.after ? [input.after.createdAt, input.after.id] : []), limit],
      );
      const { client, info } = Context.current();
      let started = 0;
      for (const row of rows) {
        try {
          if ((await startNotifyWorkflow(client, info.taskQueue, { notificationId: row.notification_id, userId: row.user_id })) === 'started') started++;
        } catch (err) {
          throw ApplicationFailure.retryable(`could not start notify:${row.notification_id}: ${(err as Error).message}`, 'PushSweepStartFailed');
        }
      }
      const last = rows[rows.length - 1];
      return {
        expired: expired.length,
        scanned: rows.length,
        started,
        alreadyStarted: rows.length - started,
        next: rows.length === limit ? { createdAt: last.created_at, id: last.id } : null,
      };
    },
  };
}

export type PushSweepActivities = ReturnType<typeof createPushSweepActivities>;
