import type { Client } from '@temporalio/client';
import { ensureSweepSchedule } from '../../../kernel/temporal/schedules';
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

/** The push sweeper of a task queue (src/kernel/temporal/schedules.ts): starts notify:<id> for fcm_logs left queued. */
export function ensurePushSweepSchedule(setup: PushSweepScheduleSetup): Promise<'created' | 'updated'> {
  const { client, taskQueue, config } = setup;
  return ensureSweepSchedule<PushSweepWorkflow>(client, {
    scheduleId: pushSweepScheduleId(taskQueue),
    everySeconds: config.PUSH_SWEEP_INTERVAL_SECONDS,
    action: { workflowType: 'pushSweepWorkflow', workflowId: `push-sweep:${taskQueue}`, taskQueue, args: [], workflowExecutionTimeout: '10 minutes' },
    note: 'push sweeper: starts notify:<id> for fcm_logs left queued',
    paused: setup.paused,
  });
}
