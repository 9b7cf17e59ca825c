import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApiApp } from '../../src/workers/compose/api';
import { loadConfig, type Config } from '../../src/config';
import { initOrm, migrateUp } from '../../src/db/orm';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { startMqttBroker } from '../../src/infra/mqtt-broker';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { MqttBridge } from '../../src/workers/mqtt-bridge/bridge';
import { DeviceBus } from '../../src/kernel/devices/device-bus';
import { buildWorkflowBundle } from '../../src/workers/bundle';
import { createWorker } from '../../src/workers/temporal-worker';

/**
 * The whole system in one process on embedded pieces (as test/support/global-setup.ts starts
 * them): PostgreSQL, the Temporal dev server in memory, an aedes broker; then the API, one
 * worker and the MQTT bridge. `stop()` tears all of it down and removes the temporary folder.
 */
export async function startBenchStack(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-bench-'));
  fs.chmodSync(dir, 0o755);
  const [pg, temporalServer, broker] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') }),
    startTemporalDevServer({ ui: false }),
    startMqttBroker(),
  ]);
  const config: Config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    MQTT_URL: broker.url,
    JWT_SECRET: 'bench-secret-that-is-long-enough',
    TEMPORAL_TASK_QUEUE: 'bench',
    PORT: '0',
    OTP_HASH_SECRET: 'bench-otp-hash-secret-0123456789',
    ...env,
  });
  const orm = await initOrm(config.DATABASE_URL, { pool: { min: 2, max: 20 } });
  await migrateUp(orm);
  const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const bus = await DeviceBus.connect(config.MQTT_URL, 'bench-bus');
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    orm,
    bus,
    config,
    messaging: createMessaging(config),
    workflowBundlePath: bundle,
  });
  const running = worker.run();
  const bridge = new MqttBridge({ mqttUrl: config.MQTT_URL, orm, temporal, clientId: 'bench-bridge' });
  await bridge.start();
  const app = createApiApp({ config, orm, temporal, bus });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  return {
    config,
    orm,
    temporal,
    bus,
    baseUrl,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await bridge.stop();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await bus.close().catch(() => undefined);
      await connection.close();
      await orm.close();
      await Promise.allSettled([broker.stop(), temporalServer.stop()]);
      await pg.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
