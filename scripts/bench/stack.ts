import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
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
import { SERVICE_USERNAMES, serviceCredentials } from '../../src/kernel/devices/credentials';
import { buildWorkflowBundle } from '../../src/workers/bundle';
import { createWorker } from '../../src/workers/temporal-worker';

/** The broker's key of MQTT identities (production refuses the development one). */
const MQTT_AUTH_SECRET = `bench-mqtt-${randomBytes(24).toString('hex')}`;

/** PostgreSQL, the Temporal dev server in memory and an aedes broker that authenticates every client, started side by side. */
export async function startInfra(dir: string, pgDataDir = path.join(dir, 'pg')) {
  const [pg, temporalServer, broker] = await Promise.all([
    startEmbeddedPostgres({ dataDir: pgDataDir }),
    startTemporalDevServer({ ui: false }),
    startMqttBroker({ authSecret: MQTT_AUTH_SECRET }),
  ]);
  return { pg, temporalServer, broker };
}

/** Stops what startInfra started and removes the bench's temporary folder. */
export async function stopInfra({ pg, temporalServer, broker }: Awaited<ReturnType<typeof startInfra>>, dir: string): Promise<void> {
  await Promise.allSettled([broker.stop(), temporalServer.stop()]);
  await pg.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The production environment pointed at the embedded pieces (what a child process of a bench is given); `env` overrides any of it. */
export function benchEnv(urls: { databaseUrl: string; temporalAddress: string; mqttUrl: string }, env: Record<string, string>): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    DATABASE_URL: urls.databaseUrl,
    TEMPORAL_ADDRESS: urls.temporalAddress,
    MQTT_URL: urls.mqttUrl,
    JWT_SECRET: 'bench-jwt-secret-of-at-least-thirty-two-random-bytes',
    // Production refuses sandbox defaults (src/config/security.ts); the bench names its sandboxes explicitly.
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    PAYMENT_SANDBOX: 'true',
    SPARROW_TOKEN: 'bench-sms-token',
    SPARROW_BASE_URL: 'http://localhost:4010/v2',
    SMTP_URL: 'smtp://localhost:2525',
    TEMPORAL_TASK_QUEUE: 'bench',
    PORT: '0',
    OTP_HASH_SECRET: 'bench-otp-hash-secret-0123456789',
    MQTT_AUTH_SECRET,
    ...env,
  };
}

/** The production configuration pointed at the embedded pieces; `env` overrides any of it. */
export function benchConfig(urls: { databaseUrl: string; temporalAddress: string; mqttUrl: string }, env: Record<string, string>): Config {
  return loadConfig(benchEnv(urls, env));
}

/** One worker on the pre-built bundle, running until `worker.shutdown()` (then `running` settles). */
async function startBenchWorker(config: Config, orm: MikroORM, bus: DeviceBus, workflowBundlePath: string) {
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    orm,
    bus,
    config,
    messaging: createMessaging(config),
    workflowBundlePath,
  });
  const running = worker.run();
  return { nativeConnection, worker, running };
}

/** The API app listening on a free port of 127.0.0.1. */
function listen(app: ReturnType<typeof createApiApp>) {
  return new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
}

/**
 * The whole system in one process on embedded pieces (as test/support/global-setup.ts starts
 * them): PostgreSQL, the Temporal dev server in memory, an aedes broker; then the API, one
 * worker and the MQTT bridge. `stop()` tears all of it down and removes the temporary folder.
 */
export async function startBenchStack(env: Record<string, string> = {}, opts: { pgDataDir?: string } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-bench-'));
  fs.chmodSync(dir, 0o755);
  // `pgDataDir`: a data folder kept across runs (bench:api's cache of loaded rows); default one in the temporary folder.
  const { pg, temporalServer, broker } = await startInfra(dir, opts.pgDataDir);
  const config = benchConfig({ databaseUrl: pg.url, temporalAddress: temporalServer.address, mqttUrl: broker.url }, env);
  const orm = await initOrm(config.DATABASE_URL, { pool: { min: 2, max: 20 } });
  await migrateUp(orm);
  const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const bus = await DeviceBus.connect(config.MQTT_URL, `${SERVICE_USERNAMES.worker}-bench`, {
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'worker'),
  });
  const { nativeConnection, worker, running } = await startBenchWorker(config, orm, bus, bundle);
  const bridge = new MqttBridge({
    mqttUrl: config.MQTT_URL,
    orm,
    temporal,
    clientId: `${SERVICE_USERNAMES.bridge}-bench`,
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'bridge'),
  });
  await bridge.start();
  const server = await listen(createApiApp({ config, orm, temporal, bus }));
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
      await stopInfra({ pg, temporalServer, broker }, dir);
    },
  };
}
export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
