import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface TaskQueueLoad {
  task_queue: string;
  workflow_backlog: number | null;
  activity_backlog: number | null;
  workflow_pollers: number;
  activity_pollers: number;
  /** Distinct worker identities polling the queue (workflow or activity tasks). */
  workers: number;
}

/** A task queue's backlog (approximate, from the server's stats) and the workers polling it. */
export async function taskQueueLoad(client: Client, namespace: string, taskQueue: string): Promise<TaskQueueLoad> {
  const { TaskQueueType } = temporal.api.enums.v1;
  const describe = (taskQueueType: temporal.api.enums.v1.TaskQueueType) =>
    client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType, reportStats: true });
  const [wf, act] = await Promise.all([describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)]);
  const backlog = (r: typeof wf) => (r.stats?.approximateBacklogCount == null ? null : Number(r.stats.approximateBacklogCount));
  const identities = new Set([...wf.pollers, ...act.pollers].map((p) => p.identity ?? ''));
  return {
    task_queue: taskQueue,
    workflow_backlog: backlog(wf),
    activity_backlog: backlog(act),
    workflow_pollers: wf.pollers.length,
    activity_pollers: act.pollers.length,
    workers: identities.size,
  };
}
