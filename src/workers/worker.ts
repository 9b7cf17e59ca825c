import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config';
import { initOrm } from '../db/orm';
import { createMessaging } from '../modules/identity';
import { gatewaysFor } from './compose/gateways';
import { hostname } from 'node:os';
import { DeviceBus } from '../kernel/devices/device-bus';
import { SERVICE_USERNAMES, serviceCredentials } from '../kernel/devices/credentials';
import { createPushSender } from '../modules/engagement';
import { logger } from '../kernel/logger';
import { onShutdown } from './bootstrap';
import { createGatewayWorker, createWorker, type WorkerSetup } from './temporal-worker';
import { ensureSchedules } from './schedules';
import { connectTemporalWorker, temporalClient } from './temporal-connection';
import { installTemporalMetrics } from './temporal-metrics';
import { startMetricsServer } from './metrics-server';
import { startTracing } from './tracing';
/** Where `npm run build` writes the bundle, seen from dist/src/workers. */
const BUILT_BUNDLE = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');

/** Production runs only from a pre-built bundle; development bundles at start. */
function bundlePath(nodeEnv: string): string | undefined {
  const wanted = process.env.WORKFLOW_BUNDLE_PATH ?? (nodeEnv === 'production' ? BUILT_BUNDLE : undefined);
  if (wanted && !fs.existsSync(wanted)) {
    process.stderr.write(`workflow bundle ${wanted} is missing: run \`npm run build\` (or unset WORKFLOW_BUNDLE_PATH)\n`);
    process.exit(78);
  }
  return wanted;
}

async function main() {
  const config = loadConfigOrExit();
  // Before any connection: the Core SDK's metrics exporter is part of the runtime.
  const temporalMetrics = await installTemporalMetrics(config);
  const tracing = startTracing(config, 'worker');
  const orm = await initOrm(config.DATABASE_URL);
  const bus = await DeviceBus.connect(config.MQTT_URL, `${SERVICE_USERNAMES.worker}-${hostname()}-${process.pid}`, {
    topicPrefix: config.MQTT_TOPIC_PREFIX,
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'worker'),
  });
  const connection = await connectTemporalWorker(config);
  const bundle = bundlePath(config.NODE_ENV);
  const setup: WorkerSetup = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    orm,
    bus,
    config,
    messaging: createMessaging(config),
    gateways: gatewaysFor(config),
    workflowBundlePath: bundle,
    push: createPushSender(config),
    tracing,
    // A stop drains: no new tasks, running activities get the grace time to finish (then are cancelled).
    options: { shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`, shutdownForceTime: `${config.WORKER_SHUTDOWN_FORCE_SECONDS}s` },
  };
  const worker = await createWorker(setup);
  // The payment gateways' calls, on their own rate-limited queue (docs/ARCHITECTURE.md); drained with the main worker.
  const gatewayWorker = await createGatewayWorker(setup);
  const client = temporalClient(config, connection);
  // The sweeper schedules of this task queue: created once, brought up to date by every start.
  const schedules = await ensureSchedules({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, config });
  const metrics = await startMetricsServer(config, 'worker', temporalMetrics ? [temporalMetrics] : []);
  // run() resolves once the worker has drained after shutdown(); only then do its connections close.
  const stopped = Promise.all([worker.run(), gatewayWorker.run()]).finally(async () => {
    await metrics?.close();
    await tracing?.shutdown();
    await connection.close();
    await bus.close();
    await orm.close();
  });
  onShutdown('worker', async () => {
    worker.shutdown();
    gatewayWorker.shutdown();
    await stopped;
    logger.info('worker drained');
  });
  // Ready only once a signal would be handled: a supervisor may signal as soon as it reads this line.
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, bundle: bundle ?? 'bundled at start', schedules }, 'worker running');
  await stopped;
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
