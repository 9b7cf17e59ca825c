import './bench/quiet';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_ORIGIN, loadBenchStations } from './bench/api-data';
import { benchAdmin } from './bench/api-users';
import { benchUser } from './bench/fixtures';
import { startRawNearbyServer } from './bench/raw-server';
import { startBenchStack } from './bench/stack';

/**
 * `npm run bench:api` (issue 16): read endpoints at scale. Starts its own stack (production config,
 * the pre-built workflow bundle), loads BENCH_STATIONS stations (default 100,000, 8 bays each) into a
 * PostgreSQL data folder kept in .data/bench-api (a second run loads nothing), then, one after the
 * other for BENCH_SECONDS each (default 10) at BENCH_CONNECTIONS (default 16): the nearby search
 * against a raw node:http + pg server running the same SQL, then the station list (by name, by
 * newest), a rider's rentals history and transactions and the admin station and user lists.
 * Prints each rate, latency and its ratio to its target.
 */
const int = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const STATIONS = int('BENCH_STATIONS', 100_000);
const SECONDS = int('BENCH_SECONDS', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 16);
const log = (s: string) => process.stdout.write(`${s}\n`);

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: string, token?: string): Promise<Measured> {
  const r = await autocannon({ url, workers: 1, connections: CONNECTIONS, duration: SECONDS, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const line = (name: string, m: Measured, extra = '') =>
  log(
    `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${String(m.p50).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms  errors ${m.errors}${extra}`,
  );

async function main() {
  const stack = await startBenchStack({ LOG_LEVEL: 'warn' }, { pgDataDir: path.resolve('.data', 'bench-api', `pg-${STATIONS}`) });
  const raw = await startRawNearbyServer(stack.config.DATABASE_URL, 20);
  try {
    const loaded = await loadBenchStations(stack, STATIONS);
    log(
      `bench:api on ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${STATIONS} stations (${loaded ? `loaded in ${loaded.toFixed(1)} s` : 'from the cache'}), ${CONNECTIONS} connections, ${SECONDS} s each`,
    );
    const near = `?lat=${BENCH_ORIGIN.lat}&lng=${BENCH_ORIGIN.lng}&radius=${BENCH_ORIGIN.radius}`;
    const rawNearby = await measure(`${raw.url}/nearby${near}`);
    const nearby = await measure(`${stack.baseUrl}/app/stations/nearby${near}`);
    line('raw node:http + pg, same SQL', rawNearby);
    line(
      'GET /api/app/stations/nearby',
      nearby,
      `  ratio ${(nearby.rps / rawNearby.rps).toFixed(2)}x raw (target >= 0.85), p99 ${(nearby.p99 / Math.max(1, rawNearby.p99)).toFixed(2)}x raw (target <= 1.3)`,
    );
    const rider = await benchUser(stack, 100_000);
    const admin = await benchAdmin(stack);
    const lists: [string, string, string?][] = [
      ['GET /api/app/stations (name)', '/app/stations'],
      ['GET /api/app/stations (newest)', '/app/stations?ordering=newest'],
      ['GET /api/rentals/history', '/rentals/history', rider.token],
      ['GET /api/user/transactions', '/user/transactions', rider.token],
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
