import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../embedded-postgres';
import { authConfig, brokerDataDir, ensureMosquitto } from '../mosquitto';
import { freePorts, waitForPort } from '../ports';
import { spawnPrefixed, type Supervisor } from '../supervisor';
import type { DeviceKind } from '../../kernel/devices/protocol';
import { prepareNamespace } from './namespace';
import { prepareTemporalDatabases, temporalCluster } from './temporal-cluster';
import { ensureClusterTools } from './tools';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ClusterOptions {
  supervisor: Supervisor;
  /** PostgreSQL data, the Temporal and UI configuration, mosquitto's files. */
  dataDir: string;
  log: (line: string) => void;
  pgPort?: number;
  frontendPort?: number;
  uiPort?: number;
  mqttPort?: number;
  /** numHistoryShards (TEMPORAL_HISTORY_SHARDS), default 16; fixed when the `temporal` database is first made. */
  historyShards?: number;
  /** MQTT_AUTH_SECRET: mosquitto's password file and ACL are written from it, for the services and `devices`. */
  authSecret: string;
  topicPrefix?: string;
  devices: { kind: DeviceKind; sn: string }[];
  /** PostgreSQL's exit stops everything (npm run dev); false where a fault suite restarts it on purpose. */
  postgresCritical?: boolean;
}

export interface ClusterInfrastructure {
  databaseUrl: string;
  temporalAddress: string;
  mqttUrl: string;
  uiPort: number;
  pgPort: number;
  historyShards: number;
}

/** Embedded PostgreSQL as a supervised service: a restart starts the same data folder on the same port. */
async function postgresService(o: ClusterOptions, port: number): Promise<EmbeddedPostgresHandle> {
  let handle: EmbeddedPostgresHandle | undefined;
  const start = async () => {
    handle = await startEmbeddedPostgres({ dataDir: path.join(o.dataDir, 'postgres'), port });
    return handle.process;
  };
  // Stopped last even when not critical (the fault suite restarts it): Temporal's services stop while
  // their database still answers, instead of logging a failed transaction per task queue.
  await o.supervisor.add({ name: 'postgres', critical: o.postgresCritical ?? true, layer: 0, stopSignal: 'SIGINT', start });
  return handle!;
}

/** Debian's mosquitto with docker-compose.yml's configuration (auth, ACL, a TLS listener for devices), restarted when it dies. */
async function mosquittoService(o: ClusterOptions, port: number, tlsPort: number): Promise<string> {
  const bin = ensureMosquitto();
  if (!bin) throw new Error('cluster mode runs Debian mosquitto: apt-get install mosquitto');
  const dir = path.join(o.dataDir, 'mosquitto');
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const conf = path.join(dir, 'mosquitto.conf');
  // Persistence, as in docker-compose.yml: the bridges' persistent sessions and the QoS 1 device
  // messages queued for them survive a restart of the broker (its restored `$share` subscriptions
  // need the bridge's unsubscribe + subscribe after the reconnect: mqtt-bridge/bridge.ts).
  const dataDir = brokerDataDir(dir);
  fs.writeFileSync(conf, authConfig(dir, port, tlsPort, { authSecret: o.authSecret, topicPrefix: o.topicPrefix, devices: o.devices, dataDir }));
  await o.supervisor.add({ name: 'mosquitto', layer: 1, start: () => spawnPrefixed('mosquitto', bin, ['-c', conf]) });
  await waitForPort(port, '127.0.0.1', 10_000);
  return `mqtt://127.0.0.1:${port}`;
}

/**
 * A Temporal cluster (frontend, two history hosts, matching, worker, each its own process; the UI
 * unless `ui` is false) on the PostgreSQL at `pgPort`, under `o.supervisor`: the databases made and
 * migrated, the namespace and search attributes registered. `npm run dev -- --cluster` and
 * `npm run bench:rentals` (BENCH_MODE=cluster) start it.
 */
export async function startTemporalOnPostgres(
  o: Pick<ClusterOptions, 'supervisor' | 'dataDir' | 'historyShards' | 'frontendPort' | 'uiPort'> & { pgPort: number; ui?: boolean; logLevel?: string },
): Promise<{ address: string; uiPort: number; historyShards: number }> {
  await prepareTemporalDatabases(o.pgPort);
  const layout = await temporalCluster({
    dir: path.join(o.dataDir, 'temporal-cluster'),
    pgPort: o.pgPort,
    historyShards: o.historyShards,
    frontendPort: o.frontendPort,
    uiPort: o.uiPort,
    logLevel: process.env.TEMPORAL_LOG_LEVEL ?? o.logLevel ?? 'error',
  });
  // The first host writes the cluster's metadata; the others join after it.
  const [first, ...rest] = layout.services.filter((s) => o.ui !== false || s.name !== 'temporal-ui');
  await o.supervisor.add({ ...first, layer: 1 });
  await new Promise((r) => setTimeout(r, 2_000));
  for (const s of rest) await o.supervisor.add({ ...s, layer: 1 });
  await prepareNamespace(layout.address);
  return { address: layout.address, uiPort: layout.uiPort, historyShards: layout.historyShards };
}

/**
 * The production topology on this machine: embedded PostgreSQL holding stationflow, temporal and
 * temporal_visibility; a Temporal cluster (startTemporalOnPostgres) with its UI; Debian's
 * mosquitto. Every process runs under `supervisor`.
 */
export async function startClusterInfrastructure(o: ClusterOptions): Promise<ClusterInfrastructure> {
  ensureClusterTools(o.log);
  const [pgFree, mqttFree, tlsPort] = await freePorts(3);
  const pg = await postgresService(o, o.pgPort ?? pgFree);
  const mqttUrl = await mosquittoService(o, o.mqttPort ?? mqttFree, tlsPort);
  const temporal = await startTemporalOnPostgres({ ...o, pgPort: pg.port });
  return { databaseUrl: pg.url, temporalAddress: temporal.address, mqttUrl, uiPort: temporal.uiPort, pgPort: pg.port, historyShards: temporal.historyShards };
}

/** Two copies each of the API (ports `apiPorts`), the worker and the MQTT bridge (one `$share` group), supervised. */
export async function startClusterApps(supervisor: Supervisor, env: NodeJS.ProcessEnv, apiPorts: [number, number]): Promise<void> {
  const app = (name: string, script: string, extra: NodeJS.ProcessEnv) =>
    supervisor.add({
      name,
      start: () => spawnPrefixed(name, process.execPath, ['--import', 'tsx', path.join(ROOT, script)], { env: { ...env, ...extra } }),
    });
  for (const n of [1, 2]) {
    await app(`worker-${n}`, 'src/workers/worker.ts', { SERVICE_NAME: `worker-${n}` });
    await app(`bridge-${n}`, 'src/workers/mqtt-bridge.ts', {
      SERVICE_NAME: `mqtt-bridge-${n}`,
      MQTT_BRIDGE_SHARE_GROUP: env.MQTT_BRIDGE_SHARE_GROUP ?? 'stationflow-bridges',
      MQTT_BRIDGE_CLIENT_ID: `stationflow-bridge-${n}`,
    });
    await app(`api-${n}`, 'src/workers/api.ts', { SERVICE_NAME: `api-${n}`, PORT: String(apiPorts[n - 1]) });
  }
}
