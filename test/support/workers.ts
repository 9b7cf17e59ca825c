import type { NativeConnection, Worker } from '@temporalio/worker';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { createWorker, type WorkerSetup } from '../../src/workers/temporal-worker';
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
  const worker = await createWorker({
    connection, namespace: stack.config.TEMPORAL_NAMESPACE, taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    orm: stack.orm, bus: stack.bus, config: stack.config, messaging: createMessaging(stack.config), workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    ...extra,
  });
  const running = worker.run();
  return { worker, running, stop: async () => { worker.shutdown(); await running; } };
}
