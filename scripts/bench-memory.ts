import './bench/quiet';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../src/config';
import { initOrm, migrateUp } from '../src/db/orm';
import { SERVICE_USERNAMES, serviceCredentials } from '../src/kernel/devices/credentials';
import { buildWorkflowBundle } from '../src/workers/bundle';
import { MqttBridge } from '../src/workers/mqtt-bridge/bridge';
import { freePort } from '../src/infra/ports';
import { settledRss, startChild, type BenchChild } from './bench/child';
import { openRentalFleet } from './bench/open-rentals';
import { benchEnv, startInfra, stopInfra } from './bench/stack';
import { runPool } from './bench/stats';
import { CpuProfile } from './bench/cpu-profile';
import { WORKER_NODE_ARGS, type NamedProcess } from './bench/app-processes';

/**
 * `npm run bench:memory` (issue 16, target 5): the worker's RSS as open rentals (each waiting on its
 * return timer) grow through BENCH_OPEN_STEPS, once per sticky-cache size of BENCH_CACHE_SIZES
 * (`default`: WORKER_MAX_CACHED_WORKFLOWS's default, 500), each with a fresh worker process; then the API process's RSS before, at
 * the peak of and after BENCH_API_SECONDS of list/nearby load, with its live heap (BENCH_WORKER=0: the API alone). Worker and API run as their own
 * processes (src/workers/*.ts compiled as production runs them, or under tsx: BENCH_RUNTIME; production config) on an embedded stack this starts
 * (the Temporal dev server, or with BENCH_MODE=cluster the cluster on PostgreSQL).
 */
const STEPS = (process.env.BENCH_OPEN_STEPS ?? '1000,2500,5000,10000').split(',').map(Number);
const CACHES = (process.env.BENCH_CACHE_SIZES ?? 'default,2500').split(',');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const API_SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
/** BENCH_MODE=cluster: the Temporal cluster on the embedded PostgreSQL (BENCH_SHARDS history shards, default 4) instead of the dev server. */
const CLUSTER_SHARDS = process.env.BENCH_MODE === 'cluster' ? Number(process.env.BENCH_SHARDS ?? 4) : undefined;
const log = (s: string) => process.stdout.write(`${s}\n`);
const mb = (n: number) => `${n.toFixed(0)} MB`;

interface Shared {
  env: Record<string, string>;
  config: Config;
  orm: Awaited<ReturnType<typeof initOrm>>;
  temporal: Client;
  bundle: string;
  /** PostgreSQL's and the Temporal server's processes, for the CPU profile of the opening. */
  processes: () => NamedProcess[];
}

/** CPU milliseconds per rental opened, per process (what bounds the opening rate), and the cores the stack and other jobs used. */
function describeOpenCpu(cpu: CpuProfile, opened: number): string {
  const per = cpu.rows().map((r) => `${r.label} ${((r.seconds * 1000) / opened).toFixed(0)}`);
  const { stack, others, of } = cpu.cores();
  return `CPU ms per open: ${per.join(', ')}; the stack used ${stack.toFixed(2)} of ${of} cores, other jobs ${others.toFixed(2)}`;
}

/** One worker process at one cache size: its RSS idle, then at each count of open rentals. */
async function workerRun(s: Shared, cache: string, index: number) {
  const env = { ...s.env, WORKFLOW_BUNDLE_PATH: s.bundle, ...(cache === 'default' ? {} : { WORKER_MAX_CACHED_WORKFLOWS: cache }) };
  const worker = await startChild('worker', env, 'worker running', WORKER_NODE_ARGS);
  const idle = await settledRss(worker);
  const fleet = await openRentalFleet(s, `MEM${index}K`, Math.max(...STEPS));
  const rows: string[] = [];
  const cpu = new CpuProfile(() => [...s.processes(), { pid: worker.proc.pid, label: 'worker' }], 'bench: opener, bridge, kiosk simulators, aedes');
  let first: number | undefined;
  try {
    let before = 0;
    for (const step of STEPS) {
      const t0 = Date.now();
      await cpu.measure(() => fleet.open(step, CONCURRENCY));
      const opens = `${((step - before) / ((Date.now() - t0) / 1000)).toFixed(1)} opens/s`;
      before = step;
      const rss = await settledRss(worker);
      first ??= rss;
      const vs = `${((rss / first - 1) * 100).toFixed(0)}% against ${STEPS[0]} open, ${((rss / idle - 1) * 100).toFixed(0)}% over idle`;
      rows.push(`  ${String(step).padStart(6)} open: worker RSS ${mb(rss)} (${vs}; reached in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${opens})`);
      log(`cache ${cache}: ${rows[rows.length - 1].trim()}`);
    }
  } finally {
    await fleet.stop();
    await worker.stop();
  }
  return [
    `sticky cache ${cache === 'default' ? `the configured default (${s.config.WORKER_MAX_CACHED_WORKFLOWS})` : cache}: worker idle ${mb(idle)}`,
    ...rows,
    `  ${describeOpenCpu(cpu, Math.max(...STEPS))}`,
    `  ${fleet.failures.length} starts failed`,
    ...fleet.failures.slice(0, 5).map((f) => `  failed: ${f}`),
  ];
}

/** memoryUsage() of the API before and after a full GC, read through scripts/bench/heap-probe.mjs (SIGUSR2). */
async function probeHeap(api: BenchChild, file: string): Promise<{ before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage }> {
  const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const n = lines().length;
  api.proc.kill('SIGUSR2');
  for (let t = 0; t < 100 && lines().length === n; t++) await new Promise((r) => setTimeout(r, 50));
  return JSON.parse(lines()[n]) as { before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage };
}

const heapLine = (m: NodeJS.MemoryUsage) => `heap used ${mb(m.heapUsed / 2 ** 20)} of ${mb(m.heapTotal / 2 ** 20)}, external ${mb(m.external / 2 ** 20)}`;

/**
 * The API process: RSS idle, the peak under API_SECONDS of nearby and station-list requests, and 20 s
 * after; with the V8 heap (live, after a full GC) beside each, so memory still held after the load is
 * told apart from a leak. BENCH_API_MALLOC_ARENA_MAX runs the API with that glibc setting.
 */
async function apiRun(s: Shared) {
  const port = await freePort();
  const probeFile = path.join(os.tmpdir(), `stationflow-heap-probe-${process.pid}.jsonl`);
  const arenas = process.env.BENCH_API_MALLOC_ARENA_MAX;
  const env = { ...s.env, PORT: String(port), BENCH_HEAP_PROBE_FILE: probeFile, ...(arenas ? { MALLOC_ARENA_MAX: arenas } : {}) };
  const api = await startChild('api', env, 'API listening', ['--expose-gc', '--import', path.join(__dirname, 'bench', 'heap-probe.mjs')]);
  try {
    const idle = await settledRss(api);
    const idleHeap = (await probeHeap(api, probeFile)).after;
    const idleAfterGc = await settledRss(api, 3);
    let peak = idle;
    let requests = 0;
    let failed = 0;
    const until = Date.now() + API_SECONDS * 1000;
    const sampler = setInterval(() => (peak = Math.max(peak, api.rssMb())), 250);
    const paths = ['/api/app/stations/nearby?lat=27.7&lng=85.3&radius=50000', '/api/app/stations?page=1&page_size=20'];
    await runPool(1_000_000, CONCURRENCY, async (i) => {
      if (Date.now() > until) return;
      const res = await fetch(`http://127.0.0.1:${port}${paths[i % 2]}`);
      await res.arrayBuffer();
      requests++;
      if (res.status !== 200) failed++;
    });
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 20_000));
    const after = await settledRss(api);
    const heap = await probeHeap(api, probeFile);
    const afterGc = await settledRss(api, 3);
    const over = (n: number, base: number) => `${((n / base - 1) * 100).toFixed(0)}% over idle`;
    return [
      `API${arenas ? ` (MALLOC_ARENA_MAX=${arenas})` : ''}: idle ${mb(idle)} (${heapLine(idleHeap)}; ${mb(idleAfterGc)} after that GC), peak ${mb(peak)} under ${requests} requests (${failed} not 200) in ${API_SECONDS} s`,
      `  20 s later ${mb(after)} (${over(after, idle)}; ${heapLine(heap.before)}); after a full GC ${heapLine(heap.after)}, RSS ${mb(afterGc)} (${over(afterGc, idleAfterGc)} against idle after GC)`,
    ].join('\n');
  } finally {
    await api.stop();
    fs.rmSync(probeFile, { force: true });
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-bench-memory-'));
  fs.chmodSync(dir, 0o755);
  const infra = await startInfra(dir, { clusterShards: CLUSTER_SHARDS });
  const { pg, temporalServer, broker } = infra;
  const env = benchEnv({ databaseUrl: pg.url, temporalAddress: temporalServer.address, mqttUrl: broker.url }, { TEMPORAL_TASK_QUEUE: 'bench-memory' });
  const config = loadConfig(env);
  const orm = await initOrm(config.DATABASE_URL, { pool: { min: 2, max: CONCURRENCY + 4 } });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const bridge = new MqttBridge({
    mqttUrl: config.MQTT_URL,
    orm,
    temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    clientId: `${SERVICE_USERNAMES.bridge}-bench`,
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'bridge'),
  });
  try {
    await migrateUp(orm);
    const shared: Shared = {
      env,
      config,
      orm,
      temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
      bundle: await buildWorkflowBundle(path.join(dir, 'wf.js')),
      processes: () => [{ pid: pg.process.pid, label: 'PostgreSQL' }, ...temporalServer.processes()],
    };
    await bridge.start();
    const lines = [
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; ${temporalServer.label}`,
    ];
    if (process.env.BENCH_WORKER !== '0') for (const [i, cache] of CACHES.entries()) lines.push(...(await workerRun(shared, cache, i)));
    lines.push(await apiRun(shared));
    log('');
    for (const l of lines) log(l);
  } finally {
    await bridge.stop().catch(() => undefined);
    await connection.close();
    await orm.close();
    await stopInfra(infra, dir);
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
