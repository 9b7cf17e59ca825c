import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { gatewayTaskQueue } from '../modules/payments';
import { createActivities, createGatewayQueueActivities, type ActivityDeps } from './activities';
import { classifyActivityErrors } from './activity-errors';
import { WORKFLOWS_PATH } from './workflows-path';
import { temporalDataConverter } from './temporal-connection';
import type { Tracing } from './tracing';
import { TRACE_WORKFLOW_INTERCEPTORS, otelActivityInterceptors, traceSinks } from './worker-tracing';

export interface WorkerSetup extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Path of the pre-built bundle (production); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  options?: Partial<WorkerOptions>;
  /** This process's tracing (src/workers/tracing.ts), when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing?: Tracing;
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundlePath, options, tracing, ...deps } = setup;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(deps),
    dataConverter: temporalDataConverter(deps.config),
    maxCachedWorkflows: deps.config.WORKER_MAX_CACHED_WORKFLOWS,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: require.resolve(WORKFLOWS_PATH) }),
    ...options,
    sinks: { ...traceSinks(tracing), ...options?.sinks },
    interceptors: {
      ...options?.interceptors,
      // Bundled at start (development) the workflow interceptors come from here; a pre-built bundle has them (bundle.ts).
      workflowModules: workflowBundlePath ? undefined : [TRACE_WORKFLOW_INTERCEPTORS, ...(options?.interceptors?.workflowModules ?? [])],
      activity: [...otelActivityInterceptors(tracing), classifyActivityErrors, ...(options?.interceptors?.activity ?? [])],
    },
  });
}

/**
 * The second worker of a deployment: only the payment gateways' activities, on
 * `<task queue>-gateways`, at most GATEWAY_QUEUE_ACTIVITIES_PER_SECOND across the queue and a few
 * at a time here. A gateway that is slow or rate-limits us fills this worker's slots, never those
 * of the ledger, database and device activities on the main queue (docs/ARCHITECTURE.md).
 */
export async function createGatewayWorker(setup: WorkerSetup): Promise<Worker> {
  const { connection, namespace, taskQueue, options, tracing, ...deps } = setup;
  return Worker.create({
    connection,
    namespace,
    taskQueue: gatewayTaskQueue(taskQueue),
    activities: createGatewayQueueActivities(deps),
    dataConverter: temporalDataConverter(deps.config),
    maxTaskQueueActivitiesPerSecond: deps.config.GATEWAY_QUEUE_ACTIVITIES_PER_SECOND,
    maxConcurrentActivityTaskExecutions: 20,
    ...(options?.shutdownGraceTime ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    ...(options?.shutdownForceTime ? { shutdownForceTime: options.shutdownForceTime } : {}),
    interceptors: { activity: [...otelActivityInterceptors(tracing), classifyActivityErrors, ...(options?.interceptors?.activity ?? [])] },
  });
}
