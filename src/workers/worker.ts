import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { loadConfigOrExit } from '../config';
import { initOrm } from '../db/orm';
import { DeviceBus } from '../integrations/mqtt/device-bus';
import { createPushSender } from '../integrations/push';
import { logger } from '../logger';
import { onShutdown } from './bootstrap';
import { createWorker } from './temporal-worker';

/** The pre-built bundle (npm run build); the dev worker bundles at start when it is absent. */
const BUNDLE = process.env.WORKFLOW_BUNDLE_PATH ?? path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js');

async function main() {
  const config = loadConfigOrExit();
  const orm = await initOrm(config.DATABASE_URL);
  const bus = await DeviceBus.connect(config.MQTT_URL, `stationflow-worker-${process.pid}`);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const useBundle = fs.existsSync(BUNDLE) && config.NODE_ENV === 'production';
  const worker = await createWorker({
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE,
    orm, bus, workflowBundlePath: useBundle ? BUNDLE : undefined,
    push: createPushSender(config),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, bundle: useBundle ? BUNDLE : 'bundled at start' }, 'worker running');
  onShutdown('worker', async () => { worker.shutdown(); });
  await worker.run();
  await connection.close();
  await bus.close();
  await orm.close();
}

main().catch((err) => { logger.fatal({ err }, 'worker failed'); process.exit(1); });
