import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Config } from '../../../config';
import type { PushSweepWorkflow } from '../workflows/definitions';

/** One schedule per task queue: each queue's workers sweep and send on their own queue. */
export const pushSweepScheduleId = (taskQueue: string) => `push-sweeper:${taskQueue}`;

export interface PushSweepScheduleSetup {
  client: Client;
  taskQueue: string;
  config: Pick<Config, 'PUSH_SWEEP_INTERVAL_SECONDS'>;
  /** Create it paused (only `trigger()` runs it). Applies on creation only; an existing schedule keeps its state. */
  paused?: boolean;
}

/**
 * Creates the push sweeper schedule, or brings an existing one to the current interval and action
 * (a worker restart after a config change), keeping its paused state. Idempotent: every worker of
 * the queue calls it at start. Overlap SKIP: a slow sweep is never run twice at once.
 */
export async function ensurePushSweepSchedule(setup: PushSweepScheduleSetup): Promise<'created' | 'updated'> {
  const { client, taskQueue, config } = setup;
  const scheduleId = pushSweepScheduleId(taskQueue);
  const spec = { intervals: [{ every: `${config.PUSH_SWEEP_INTERVAL_SECONDS}s` as const }] };
  const action: ScheduleOptionsStartWorkflowAction<PushSweepWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'pushSweepWorkflow',
    workflowId: `push-sweep:${taskQueue}`,
    taskQueue,
    args: [],
    workflowExecutionTimeout: '10 minutes',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' as const };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies,
      state: { paused: setup.paused ?? false, note: 'push sweeper: starts notify:<id> for fcm_logs left queued' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}
