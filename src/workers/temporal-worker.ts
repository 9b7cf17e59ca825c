import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { classifyActivityErrors } from './activity-errors';
import { WORKFLOWS_PATH } from './workflows-path';

export interface WorkerSetup extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Path of the pre-built bundle (production); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  options?: Partial<WorkerOptions>;
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundlePath, options, ...deps } = setup;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(deps),
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: require.resolve(WORKFLOWS_PATH) }),
    ...options,
    interceptors: { ...options?.interceptors, activity: [classifyActivityErrors, ...(options?.interceptors?.activity ?? [])] },
  });
}
