import './bench/quiet';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ORIGIN, loadBenchStations } from './bench/api-data';
import { measure as cannon, type Measured } from './bench/cannon';
import { benchAdmin } from './bench/api-users';
import { benchCustomers, heavyRiderToken, loadBenchLists } from './bench/api-lists';
import { startRawNearbyServer } from './bench/raw-server';
import { startBenchStack, type BenchStack } from './bench/stack';

/**
 * `npm run bench:api` (issue 16): read endpoints at scale. Starts its own stack (production config,
 * the pre-built workflow bundle), loads BENCH_STATIONS stations (default 100,000, 8 bays each), 100k
 * customers, BENCH_RENTALS rentals and BENCH_ENTRIES journal entries (1,000,000 each) into a
 * PostgreSQL data folder kept in .data/bench-api (a second run loads nothing). Then, for BENCH_SECONDS
 * each (default 10) at BENCH_CONNECTIONS (default 16), autocannon in a child process: the nearby
 * search against a raw node:http + pg server running the same SQL, BENCH_ROUNDS times (default 3, the
 * order swapped each round), with health checked throughout; then every list (BENCH_LISTS=0 skips
 * them). Prints each rate, latency, CPU time per request of this process, and the ratio to its target.
 */
const int = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const STATIONS = int('BENCH_STATIONS', 100_000);
const SECONDS = int('BENCH_SECONDS', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 16);
const ROUNDS = int('BENCH_ROUNDS', 3);
const RENTALS = int('BENCH_RENTALS', 1_000_000);
const ENTRIES = int('BENCH_ENTRIES', 1_000_000);
const log = (s: string) => process.stdout.write(`${s}\n`);

const measure = (url: string, token?: string) => cannon(url, { connections: CONNECTIONS, seconds: SECONDS, token });

/** CPU ms per second this process spends with no request coming in (the worker's polls, the bridge, timers). */
async function idleCpu(): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 3000));
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / 3;
}

const line = (name: string, m: Measured, extra = '') =>
  log(
    `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${String(m.p50).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms  cpu ${m.cpuMsPerRequest.toFixed(2)} ms/req  errors ${m.errors}${extra}`,
  );

/** Health checks every 100 ms while `during` runs: how many answered 200 (target 4: a busy but healthy system answers 200). */
async function healthUnderLoad<T>(baseUrl: string, during: Promise<T>): Promise<{ result: T; ok: number; total: number }> {
  let done = false;
  let ok = 0;
  let total = 0;
  const poll = (async () => {
    while (!done) {
      const status = await fetch(`${baseUrl}/app/health`).then(
        (r) => r.status,
        () => 0,
      );
      total++;
      if (status === 200) ok++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await during.finally(() => (done = true));
  await poll;
  return { result, ok, total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The nearby search against the raw server, BENCH_ROUNDS times, the order swapped every round so a
 * change in the machine's load falls on both sides; the ratio is the median of the rounds' ratios.
 */
async function nearbyPair(stack: BenchStack, rawUrl: string) {
  const near = `?lat=${BENCH_ORIGIN.lat}&lng=${BENCH_ORIGIN.lng}&radius=${BENCH_ORIGIN.radius}`;
  const ratios: { rps: number; p99: number; cpu: number }[] = [];
  let api: Measured | undefined;
  // Warm-up, not counted: the first requests compile the route's code paths (JIT) on both sides.
  await cannon(`${rawUrl}/nearby${near}`, { connections: CONNECTIONS, seconds: Math.min(2, SECONDS) });
  await cannon(`${stack.baseUrl}/app/stations/nearby${near}`, { connections: CONNECTIONS, seconds: Math.min(2, SECONDS) });
  for (let round = 0; round < ROUNDS; round++) {
    const runRaw = () => measure(`${rawUrl}/nearby${near}`);
    const runApi = () => healthUnderLoad(stack.baseUrl, measure(`${stack.baseUrl}/app/stations/nearby${near}`));
    let raw: Measured;
    let withHealth: Awaited<ReturnType<typeof runApi>>;
    if (round % 2 === 0) {
      raw = await runRaw();
      withHealth = await runApi();
    } else {
      withHealth = await runApi();
      raw = await runRaw();
    }
    api = withHealth.result;
    line(`raw node:http + pg, same SQL (${round + 1})`, raw);
    line(`GET /api/app/stations/nearby (${round + 1})`, api, `  health under this load: ${withHealth.ok}/${withHealth.total} answered 200`);
    ratios.push({ rps: api.rps / raw.rps, p99: api.p99 / Math.max(1, raw.p99), cpu: api.cpuMsPerRequest / Math.max(0.001, raw.cpuMsPerRequest) });
  }
  log(
    `nearby vs raw, median of ${ROUNDS}: ${median(ratios.map((r) => r.rps)).toFixed(2)}x raw (target >= 0.85), p99 ${median(ratios.map((r) => r.p99)).toFixed(2)}x raw (target <= 1.3), cpu per request ${median(ratios.map((r) => r.cpu)).toFixed(2)}x raw`,
  );
  return api!;
}

async function main() {
  const stack = await startBenchStack({ LOG_LEVEL: 'warn' }, { pgDataDir: path.resolve('.data', 'bench-api', `pg-${STATIONS}`) });
  const raw = await startRawNearbyServer(stack.config.DATABASE_URL, 20);
  try {
    const loaded = await loadBenchStations(stack, STATIONS);
    log(
      `bench:api on ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg()[0].toFixed(1)}, ${STATIONS} stations (${loaded ? `loaded in ${loaded.toFixed(1)} s` : 'from the cache'}), ${CONNECTIONS} connections, ${SECONDS} s each`,
    );
    const idle = await idleCpu();
    log(`this process at rest (worker polling, bridge): ${idle.toFixed(1)} ms CPU per second, counted in each cpu figure below`);
    const nearby = await nearbyPair(stack, raw.url);
    if (process.env.BENCH_LISTS === '0') return;
    const listsLoaded = await loadBenchLists(stack, { stations: STATIONS, rentals: RENTALS, entries: ENTRIES });
    log(
      `lists: ${benchCustomers(RENTALS)} customers, ${RENTALS} rentals, ${ENTRIES} journal entries (${listsLoaded ? `loaded in ${listsLoaded.toFixed(1)} s` : 'from the cache'}); the rider has 1 in 1,000 of each`,
    );
    const rider = await heavyRiderToken(stack);
    const admin = await benchAdmin(stack);
    const lists: [string, string, string?][] = [
      ['GET /api/app/stations (name)', '/app/stations'],
      ['GET /api/app/stations (newest)', '/app/stations?ordering=newest'],
      ['GET /api/rentals/history', '/rentals/history', rider],
      ['GET /api/rentals/history (page 40)', '/rentals/history?page=40', rider],
      ['GET /api/user/transactions', '/user/transactions', rider],
      ['GET /api/admin/rentals/review', '/admin/rentals/review', admin],
      ['GET /api/admin/stations', '/admin/stations', admin],
      ['GET /api/admin/users', '/admin/users', admin],
    ];
    for (const [name, p, token] of lists) {
      const m = await measure(`${stack.baseUrl}${p}`, token);
      line(name, m, `  ${(m.rps / nearby.rps).toFixed(2)}x nearby (target >= 0.5)`);
    }
  } finally {
    await raw.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:api failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
