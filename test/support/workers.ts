import type { NativeConnection, Worker } from '@temporalio/worker';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { createGatewayWorker, createWorker, type WorkerSetup } from '../../src/workers/temporal-worker';
import { ensureSchedules, scheduleIds } from '../../src/workers/schedules';
import { spawnTsx, type TsxChild } from './processes';
import type { TestStack } from './stack';

export interface RunningWorker {
  worker: Worker;
  running: Promise<void>;
  /** Shuts the worker down and waits until it has stopped. */
  stop(): Promise<void>;
}

/**
 * A worker of the stack's task queue with the real activities, on a connection of the test's own,
 * for tests that kill and restart workers (the stack then starts with `worker: false`). `extra`
 * overrides or adds to the worker set-up (namespace, gateways, worker options).
 */
export async function runStackWorker(stack: TestStack, connection: NativeConnection, extra: Partial<WorkerSetup> = {}): Promise<RunningWorker> {
  const setup: WorkerSetup = {
    connection,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    orm: stack.orm,
    bus: stack.bus,
    config: stack.config,
    messaging: createMessaging(stack.config),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    ...extra,
  };
  const worker = await createWorker(setup);
  // The payment gateways' calls run on their own queue: its worker lives and dies with this one.
  const gatewayWorker = await createGatewayWorker(setup);
  const running = Promise.all([worker.run(), gatewayWorker.run()]).then(() => undefined);
  return {
    worker,
    running,
    stop: async () => {
      worker.shutdown();
      gatewayWorker.shutdown();
      await running;
    },
  };
}

export interface WorkerProcess {
  child: TsxChild;
  /** A crash: SIGKILL, no shutdown of any kind (in-flight activities and sticky caches are simply gone). */
  kill(): Promise<number | string>;
}

/**
 * The production worker entry (src/workers/worker.ts) in a process of its own, configured from the
 * stack's environment (task queue, topic prefix, gateways...), as `npm run dev` runs it; resolves
 * once it polls. Its sweeper schedules are created paused first (the worker keeps an existing
 * schedule's state): a running sweeper would act on other files' rows (the database is shared).
 * Delete them with deleteSweepSchedules(stack) when done.
 */
export async function spawnStackWorker(stack: TestStack): Promise<WorkerProcess> {
  await ensureSchedules({ client: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, config: stack.config, paused: true });
  const child = spawnTsx('src/workers/worker.ts', [], { ...process.env, ...stack.env, LOG_LEVEL: 'info', SERVICE_NAME: 'test-worker' });
  try {
    await child.waitFor(/"msg":"worker running"/, 30_000);
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
  return { child, kill: () => child.stop('SIGKILL') };
}

export const deleteSweepSchedules = async (stack: TestStack) => {
  for (const id of scheduleIds(stack.config.TEMPORAL_TASK_QUEUE))
    await stack.temporal.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
};
