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
import { startTemporalOnPostgres } from '../../src/infra/cluster/cluster';
import { ensureClusterTools, TEMPORAL_SERVER_VERSION } from '../../src/infra/cluster/tools';
import { Supervisor } from '../../src/infra/supervisor';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { MqttBridge } from '../../src/workers/mqtt-bridge/bridge';
import { DeviceBus } from '../../src/kernel/devices/device-bus';
import { SERVICE_USERNAMES, serviceCredentials } from '../../src/kernel/devices/credentials';
import { buildWorkflowBundle } from '../../src/workers/bundle';
import { createWorker } from '../../src/workers/temporal-worker';
import { startAppProcesses, type NamedProcess } from './app-processes';

/** The broker's key of MQTT identities (production refuses the development one). */
const MQTT_AUTH_SECRET = `bench-mqtt-${randomBytes(24).toString('hex')}`;

export interface InfraOptions {
  /** A data folder kept across runs (bench:api's cache of loaded rows); default one in the temporary folder. */
  pgDataDir?: string;
  /** The Temporal cluster on the embedded PostgreSQL (src/infra/cluster) with this many history shards, instead of the dev server. */
  clusterShards?: number;
}

/** The Temporal side of a bench: the dev server in memory, or a cluster on the bench's PostgreSQL under a supervisor. */
async function startTemporal(dir: string, pgPort: number, shards: number | undefined) {
  if (!shards) {
    const dev = await startTemporalDevServer({ ui: false });
    return { ...dev, label: 'Temporal dev server in memory (SQLite :memory:)', processes: () => [{ pid: dev.process.pid, label: 'Temporal dev server' }] };
  }
  ensureClusterTools((line) => process.stderr.write(`${line}\n`));
  const supervisor = new Supervisor({ log: (line) => process.stderr.write(`${line}\n`) });
  // At `fatal` (TEMPORAL_LOG_LEVEL to change it): at `error` its services log dozens of stack traces while they stop one another.
  const cluster = await startTemporalOnPostgres({ supervisor, dataDir: dir, pgPort, historyShards: shards, ui: false, logLevel: 'fatal' });
  return {
    address: cluster.address,
    stop: () => supervisor.stopAll(),
    label: `Temporal cluster v${TEMPORAL_SERVER_VERSION.slice(1)} on the embedded PostgreSQL (${cluster.historyShards} history shards; frontend, 2 history, matching, worker processes)`,
    processes: () => supervisor.names().map((name) => ({ pid: supervisor.process(name)?.pid, label: name })),
  };
}

/** PostgreSQL, Temporal (the dev server in memory, or the cluster) and an aedes broker that authenticates every client. */
export async function startInfra(dir: string, opts: InfraOptions = {}) {
  const [pg, broker] = await Promise.all([
    startEmbeddedPostgres({ dataDir: opts.pgDataDir ?? path.join(dir, 'pg') }),
    startMqttBroker({ authSecret: MQTT_AUTH_SECRET }),
  ]);
  const temporalServer = await startTemporal(dir, pg.port, opts.clusterShards);
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

/** The API, one worker and the MQTT bridge inside the bench's own process. */
async function startInProcessApps(config: Config, orm: MikroORM, temporal: Client, bundle: string) {
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
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    processes: (): NamedProcess[] => [],
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await bridge.stop();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await bus.close().catch(() => undefined);
    },
  };
}

export interface BenchStackOptions extends InfraOptions {
  /** The API, this many workers and the bridge as their own processes; unset, all three run inside the bench's process. */
  workerProcesses?: number;
}

/**
 * The whole system on embedded pieces (as test/support/global-setup.ts starts them): PostgreSQL,
 * Temporal (the dev server in memory, or the cluster with `clusterShards`), an aedes broker; then
 * the API, the worker(s) and the MQTT bridge, in this process or (`workerProcesses`) each in its
 * own. `stop()` tears all of it down and removes the temporary folder.
 */
export async function startBenchStack(env: Record<string, string> = {}, opts: BenchStackOptions = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-bench-'));
  fs.chmodSync(dir, 0o755);
  const { pg, temporalServer, broker } = await startInfra(dir, opts);
  const urls = { databaseUrl: pg.url, temporalAddress: temporalServer.address, mqttUrl: broker.url };
  const config = benchConfig(urls, env);
  const orm = await initOrm(config.DATABASE_URL, { pool: { min: 2, max: 20 } });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const down = async () => {
    await connection.close();
    await orm.close();
    await stopInfra({ pg, temporalServer, broker }, dir);
  };
  let apps: Awaited<ReturnType<typeof startInProcessApps>>;
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  try {
    await migrateUp(orm);
    const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
    apps = opts.workerProcesses
      ? await startAppProcesses(benchEnv(urls, env), bundle, opts.workerProcesses)
      : await startInProcessApps(config, orm, temporal, bundle);
  } catch (err) {
    await down(); // nothing left running when a piece does not start
    throw err;
  }

  return {
    config,
    orm,
    temporal,
    baseUrl: apps.baseUrl,
    /** What runs where: the Temporal server's description, and the processes a CPU profile names. */
    temporalLabel: temporalServer.label,
    processes: (): NamedProcess[] => [{ pid: pg.process.pid, label: 'PostgreSQL' }, ...temporalServer.processes(), ...apps.processes()],
    async stop() {
      await apps.stop();
      await down();
    },
  };
}
export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
