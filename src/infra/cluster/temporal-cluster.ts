import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePorts } from '../ports';
import type { ServiceSpec } from '../supervisor';
import { spawnPrefixed } from '../supervisor';
import { clusterBinaries, temporalSchemaDirs } from './tools';

const run = promisify(execFile);

export interface TemporalClusterOptions {
  /** Where the server and UI configuration is written. */
  dir: string;
  /** The embedded PostgreSQL (user postgres / postgres) that holds `temporal` and `temporal_visibility`. */
  pgPort: number;
  /** numHistoryShards: fixed when the databases are first made (default 16). */
  historyShards?: number;
  /** The frontend's gRPC port (TEMPORAL_PORT) and the UI's (TEMPORAL_UI_PORT); free ones when not given. */
  frontendPort?: number;
  uiPort?: number;
  /** Server log level (default warn). */
  logLevel?: string;
}

export interface TemporalClusterLayout {
  address: string;
  uiPort: number;
  historyShards: number;
  /** The processes to supervise: frontend, history-1, history-2, matching, worker (Temporal's), ui. */
  services: ServiceSpec[];
}

/** `sql` (Temporal's schema tool) on one database of the embedded PostgreSQL. */
async function sqlTool(pgPort: number, database: string, args: string[]) {
  const conn = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(pgPort), '--user', 'postgres', '--password', 'postgres'];
  await run(clusterBinaries().sql, [...conn, '--database', database, ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** Makes `temporal` and `temporal_visibility` (first time) and migrates both to the server's schema version (every time; a no-op when current). */
export async function prepareTemporalDatabases(pgPort: number): Promise<void> {
  const admin = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` });
  await admin.connect();
  const dirs = temporalSchemaDirs();
  try {
    for (const [database, dir] of [
      ['temporal', dirs.temporal],
      ['temporal_visibility', dirs.visibility],
    ] as const) {
      const exists = (await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount;
      if (!exists) {
        await sqlTool(pgPort, database, ['create-database']);
        await sqlTool(pgPort, database, ['setup-schema', '--version', '0.0']);
      }
      await sqlTool(pgPort, database, ['update-schema', '--schema-dir', dir]);
    }
  } finally {
    await admin.end();
  }
}

interface Ports {
  frontend: [number, number, number];
  history: [number, number][];
  matching: [number, number];
  worker: [number, number];
  ui: number;
}

const datastore = (database: string, pgPort: number, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "127.0.0.1:${pgPort}"
        connectProtocol: "tcp"
        user: "postgres"
        password: "postgres"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;

/**
 * The server configuration of one history host's view (config/development-postgres12.yaml adapted:
 * this PostgreSQL, these ports, no pprof, metrics or archival). Every process reads the same file
 * but for the history host's ports, which differ between the two hosts.
 */
function serverConfig(o: { pgPort: number; shards: number; ports: Ports; history: number; logLevel: string; dynamicConfig: string }): string {
  const [fe, feMember, feHttp] = o.ports.frontend;
  const [hi, hiMember] = o.ports.history[o.history];
  return `log:
  stdout: true
  level: ${o.logLevel}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${o.shards}
  datastores:
    postgres-default:
${datastore('temporal', o.pgPort, 20)}
    postgres-visibility:
${datastore('temporal_visibility', o.pgPort, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
    rpc: { grpcPort: ${fe}, membershipPort: ${feMember}, httpPort: ${feHttp}, bindOnLocalHost: true }
  history:
    rpc: { grpcPort: ${hi}, membershipPort: ${hiMember}, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: ${o.ports.matching[0]}, membershipPort: ${o.ports.matching[1]}, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: ${o.ports.worker[0]}, membershipPort: ${o.ports.worker[1]}, bindOnLocalHost: true }

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${fe}"

publicClient:
  hostPort: "127.0.0.1:${fe}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${o.dynamicConfig}"
  pollInterval: "10s"
`;
}

/** Dynamic config: search attributes are visible at once after they are added (as the dev server does). */
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
`;

/** The UI server's config (its module's config/development.yaml as the template). */
const uiConfig = (uiPort: number, frontend: number) => `temporalGrpcAddress: 127.0.0.1:${frontend}
host: 127.0.0.1
port: ${uiPort}
uiRootPath: /
enableUi: true
defaultNamespace: default
cors:
  cookieInsecure: true
  allowOrigins: []
auth:
  enabled: false
`;

/**
 * Writes the configuration (two server envs, one per history host, and the UI's) under `dir` and
 * returns the processes of a Temporal cluster: frontend, two history hosts, matching and worker
 * as separate `server --service X start` processes, and the UI.
 */
export async function temporalCluster(opts: TemporalClusterOptions): Promise<TemporalClusterLayout> {
  const free = await freePorts(12);
  const ports: Ports = {
    frontend: [opts.frontendPort ?? free[0], free[1], free[2]],
    history: [
      [free[3], free[4]],
      [free[5], free[6]],
    ],
    matching: [free[7], free[8]],
    worker: [free[9], free[10]],
    ui: opts.uiPort ?? free[11],
  };
  const shards = opts.historyShards ?? 16;
  const configDir = path.join(opts.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  for (const history of [0, 1]) {
    fs.writeFileSync(
      path.join(configDir, `cluster-h${history + 1}.yaml`),
      serverConfig({
        pgPort: opts.pgPort,
        shards,
        ports,
        history,
        logLevel: opts.logLevel ?? 'warn',
        dynamicConfig: path.join(configDir, 'dynamicconfig.yaml'),
      }),
    );
  }
  fs.writeFileSync(path.join(configDir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
  const uiDir = path.join(opts.dir, 'ui', 'config');
  fs.mkdirSync(uiDir, { recursive: true });
  fs.writeFileSync(path.join(uiDir, 'cluster.yaml'), uiConfig(ports.ui, ports.frontend[0]));

  const bins = clusterBinaries();
  const temporalService = (name: string, service: string, env: string): ServiceSpec => ({
    name,
    start: () => spawnPrefixed(name, bins.server, ['--root', opts.dir, '--config', 'config', '--env', env, '--allow-no-auth', 'start', '--service', service]),
  });
  const services = [
    temporalService('temporal-history-1', 'history', 'cluster-h1'),
    temporalService('temporal-history-2', 'history', 'cluster-h2'),
    temporalService('temporal-matching', 'matching', 'cluster-h1'),
    temporalService('temporal-frontend', 'frontend', 'cluster-h1'),
    temporalService('temporal-worker', 'worker', 'cluster-h1'),
    { name: 'temporal-ui', start: () => spawnPrefixed('temporal-ui', bins.ui, ['--root', path.join(opts.dir, 'ui'), '--env', 'cluster', 'start']) },
  ];
  return { address: `127.0.0.1:${ports.frontend[0]}`, uiPort: ports.ui, historyShards: shards, services };
}
