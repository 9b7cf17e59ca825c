import './bench/quiet';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchKiosk, benchPackage, benchUser } from './bench/fixtures';
import { percentile, rate, runPool } from './bench/stats';
import { type BenchStack, startBenchStack } from './bench/stack';
import type { RentalSnapshot } from '../src/modules/rentals/workflows/definitions';
import type { noopWorkflow } from '../src/workers/noop.workflow';
import { describeShape, historyShape, type HistoryShape } from './bench/history-shape';
import { describeStartProfile, type StartSample } from './bench/start-profile';
import { CpuProfile } from './bench/cpu-profile';
import { summary, type ModeRun } from './bench/rental-summary';

/**
 * `npm run bench:rentals`: N complete rental lifecycles (HTTP start → MQTT eject → simulator
 * return → bridge signal → settlement) on an embedded stack it starts and stops itself, then
 * the start-to-completion rate of a no-op workflow on the same server and worker.
 * BENCH_N (default 200, at most 2000), BENCH_CONCURRENCY (8), BENCH_NOOP_N (500), BENCH_EJECT_DELAY_MS (50), BENCH_ROUNDS (4).
 * BENCH_MODE: `dev` (the dev server in memory, default), `cluster` (the Temporal cluster on the
 * embedded PostgreSQL, BENCH_SHARDS history shards, default 4) or `both`; BENCH_WORKERS: worker
 * processes, a list (default `1`; `1,2` runs each mode with one, then two). The API, the worker(s)
 * and the bridge run as their own processes, and each process's CPU time is profiled.
 */
const int = (name: string, fallback: number, max: number) => Math.min(max, Math.max(1, Number(process.env[name] ?? fallback) || fallback));
const N = int('BENCH_N', 200, 2000);
const C = int('BENCH_CONCURRENCY', 8, 64);
const NOOP_N = int('BENCH_NOOP_N', 500, 10_000);
const EJECT_DELAY_MS = Number(process.env.BENCH_EJECT_DELAY_MS ?? 50);
/** Alternating slices of rentals and no-ops (BENCH_ROUNDS, default 4). */
const ROUNDS = int('BENCH_ROUNDS', 4, 20);
/** The size of slice `r` of `n` in ROUNDS slices (the last takes the remainder). */
const slice = (n: number, r: number) => (r === ROUNDS - 1 ? n - (ROUNDS - 1) * Math.floor(n / ROUNDS) : Math.floor(n / ROUNDS));
const log = (s: string) => process.stdout.write(`${s}\n`);
const MODES =
  (process.env.BENCH_MODE ?? 'dev') === 'both' ? (['dev', 'cluster'] as const) : ([process.env.BENCH_MODE === 'cluster' ? 'cluster' : 'dev'] as const);
const WORKERS = (process.env.BENCH_WORKERS ?? '1').split(',').map((w) => Math.min(4, Math.max(1, Number(w) || 1)));
const SHARDS = int('BENCH_SHARDS', 4, 512);
/** The bench's own process: the load (HTTP starts, no-op starts, result waits), the simulated kiosks and the aedes broker. */
const SELF = 'bench: load, kiosk simulators, aedes broker';

/** The package, one kiosk per four renters, and the renters with balance for twice their share of N rentals (lanes are not even). */
async function prepare(stack: BenchStack) {
  const packageId = await benchPackage(stack);
  const kiosks = await Promise.all(Array.from({ length: Math.ceil(C / 4) }, (_, i) => benchKiosk(stack, i, EJECT_DELAY_MS)));
  const users = await Promise.all(Array.from({ length: C }, () => benchUser(stack, (Math.ceil(N / C) + 2) * 2000 * 2)));
  return { packageId, kiosks, users };
}
type Fleet = Awaited<ReturnType<typeof prepare>>;

/** Start latencies (of recorded lifecycles) and what went wrong. */
interface Outcomes {
  latencies: number[];
  failures: string[];
  /** The workflow id of a completed lifecycle, whose history is counted. */
  sample?: string;
  /** Recorded starts (wall-clock times of the POST and its answer), profiled from their histories. */
  starts: { workflowId: string; sentAt: number; answeredAt: number }[];
}

/** The run's result, or undefined when it has not ended within `ms` (a lane never waits forever). */
async function settledWithin(stack: BenchStack, workflowId: string, ms: number): Promise<RentalSnapshot | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([stack.temporal.workflow.getHandle(workflowId).result() as Promise<RentalSnapshot>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One rental lifecycle on a lane: start over HTTP, return the power bank at the kiosk, wait for the workflow's end. */
function rentalLifecycle(stack: BenchStack, { packageId, kiosks, users }: Fleet, outcomes: Outcomes) {
  const { latencies, failures } = outcomes;
  return async (lane: number, record: boolean) => {
    const user = users[lane];
    const kiosk = kiosks[lane % kiosks.length];
    const started = performance.now();
    const sentAt = Date.now();
    const res = await fetch(`${stack.baseUrl}/rentals/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ station_sn: kiosk.sn, package_id: packageId, payment_model: 'pre_payment', payment_mode: 'wallet_only' }),
    });
    const body = (await res.json()) as { data?: { id: string; power_bank_sn: string; slot: number }; error?: { code: string } };
    if (record) latencies.push(performance.now() - started);
    if (res.status !== 201 || !body.data) {
      failures.push(`start ${res.status} ${body.error?.code}`);
      return;
    }
    if (record) outcomes.starts.push({ workflowId: `rental:${body.data.id}`, sentAt, answeredAt: Date.now() });
    // Back into the bay it left: a bay another lane's eject has just emptied in the kiosk may still be
    // occupied in the database until that rental's ejected row is written, and the return would be refused.
    await kiosk.returnPowerBank(body.data.power_bank_sn, body.data.slot);
    const end = await settledWithin(stack, `rental:${body.data.id}`, 120_000);
    if (!end) {
      failures.push(`rental ${body.data.id} not settled within 120 s`);
      return;
    }
    if (end.phase !== 'completed') failures.push(`rental ${body.data.id} ended ${end.phase}`);
    else outcomes.sample ??= `rental:${body.data.id}`;
  };
}

/** Rentals completed of all, rental charges and point awards, as the database holds them. */
interface DatabaseCheck {
  completed: number;
  total: number;
  charges: number;
  awards: number;
}

/** What the database holds after the run. */
async function databaseCheck(stack: BenchStack): Promise<DatabaseCheck> {
  const [check] = await stack.orm.em.getConnection().execute<DatabaseCheck[]>(
    `select count(*) filter (where status = 'completed')::int completed, count(*)::int total,
            (select count(*)::int from journal_entries where type = 'rental_charge') charges,
            (select count(*)::int from journal_entries where idempotency_key like 'points:rental:%') awards from rentals`,
  );
  return check;
}

/** Up to 50 recorded starts, spread over the run, with their histories. */
async function startSamples(stack: BenchStack, starts: Outcomes['starts']): Promise<StartSample[]> {
  const step = Math.max(1, Math.floor(starts.length / 50));
  const picked = starts.filter((_, i) => i % step === 0).slice(0, 50);
  return Promise.all(picked.map(async (s) => ({ ...s, events: (await stack.temporal.workflow.getHandle(s.workflowId).fetchHistory()).events ?? [] })));
}

/** The report on stdout. */
function report(
  stack: BenchStack,
  workers: number,
  rentalMs: number,
  noopMs: number,
  { latencies, failures }: Outcomes,
  check: DatabaseCheck,
  shape: HistoryShape | undefined,
  profile: StartSample[],
  noopLatencies: number[],
) {
  const lifecyclesPerSec = rate(N, rentalMs);
  const noopPerSec = rate(NOOP_N, noopMs);
  log('');
  log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; ${stack.temporalLabel}, ${workers} worker process(es), API and bridge processes, aedes broker, embedded PostgreSQL`,
  );
  log(`rental lifecycles: ${N} (concurrency ${C}, eject delay ${EJECT_DELAY_MS} ms) in ${(rentalMs / 1000).toFixed(2)} s`);
  log(`  lifecycles/s:        ${lifecyclesPerSec.toFixed(2)}`);
  log(`  start latency p50:   ${percentile(latencies, 50).toFixed(0)} ms`);
  log(`  start latency p99:   ${percentile(latencies, 99).toFixed(0)} ms`);
  log(
    `  without the kiosk's ${EJECT_DELAY_MS} ms eject delay: p50 ${(percentile(latencies, 50) - EJECT_DELAY_MS).toFixed(0)} ms, p99 ${(percentile(latencies, 99) - EJECT_DELAY_MS).toFixed(0)} ms`,
  );
  log(`  where a start's time goes (${profile.length} starts, from the POST and the run's history):`);
  for (const line of describeStartProfile(profile)) log(line);
  if (shape) log(`  one plain lifecycle:  ${describeShape(shape)}`);
  log(`no-op workflows: ${NOOP_N} (concurrency ${C}) in ${(noopMs / 1000).toFixed(2)} s`);
  log(`  no-op/s:             ${noopPerSec.toFixed(2)}`);
  log(
    `  start to completion p50 ${percentile(noopLatencies, 50).toFixed(0)} ms, p99 ${percentile(noopLatencies, 99).toFixed(0)} ms (what one round trip through this server and worker costs now)`,
  );
  log(`ratio lifecycles/no-op: ${(lifecyclesPerSec / noopPerSec).toFixed(3)}`);
  log(`check: ${check.completed}/${check.total} rentals completed, ${check.charges} rental charges, ${check.awards} point awards, ${failures.length} failures`);
  if (failures.length) log(`failures: ${failures.slice(0, 10).join('; ')}`);
}

/** One mode's run: a fresh stack, the warm-up, ROUNDS alternating slices of lifecycles and no-ops with their CPU profiled, the report. */
async function runMode(mode: 'dev' | 'cluster', workers: number): Promise<ModeRun> {
  const t0 = Date.now();
  const stack = await startBenchStack(
    { RENTAL_MIN_BATTERY_PERCENT: '10' },
    { workerProcesses: workers, clusterShards: mode === 'cluster' ? SHARDS : undefined },
  );
  try {
    const fleet = await prepare(stack);
    log(`${mode}, ${workers} worker(s): stack ready in ${Date.now() - t0} ms; ${fleet.kiosks.length} kiosks × 6 power banks, ${C} renters`);

    const outcomes: Outcomes = { latencies: [], failures: [], starts: [] };
    const lifecycle = rentalLifecycle(stack, fleet, outcomes);
    await runPool(C, C, (_, lane) => lifecycle(lane, false)); // warm-up: JIT, connection pools, workflow cache
    // Rentals and no-ops alternate in ROUNDS slices, so both see the same share of a machine whose load moves.
    const noopLatencies: number[] = [];
    const [rentalCpu, noopCpu] = [new CpuProfile(stack.processes, SELF), new CpuProfile(stack.processes, SELF)];
    const loadBefore = os.loadavg()[0];
    let [rentalMs, noopMs] = [0, 0];
    for (let r = 0; r < ROUNDS; r++) {
      rentalMs += await rentalCpu.measure(() => runPool(slice(N, r), C, (_, lane) => lifecycle(lane, true)));
      const first = r * Math.floor(NOOP_N / ROUNDS);
      noopMs += await noopCpu.measure(() =>
        runPool(slice(NOOP_N, r), C, async (i) => {
          const t = performance.now();
          await stack.temporal.workflow.execute<typeof noopWorkflow>('noopWorkflow', {
            workflowId: `noop:${first + i}`,
            taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
          });
          noopLatencies.push(performance.now() - t);
        }),
      );
    }
    const load: [number, number] = [loadBefore, os.loadavg()[0]];

    const check = await databaseCheck(stack);
    const shape = outcomes.sample ? historyShape((await stack.temporal.workflow.getHandle(outcomes.sample).fetchHistory()).events ?? []) : undefined;
    report(stack, workers, rentalMs, noopMs, outcomes, check, shape, await startSamples(stack, outcomes.starts), noopLatencies);
    for (const k of fleet.kiosks) await k.stop();
    return {
      mode,
      workers,
      shards: mode === 'cluster' ? SHARDS : undefined,
      lifecycles: N,
      noops: NOOP_N,
      lifecyclesPerSec: rate(N, rentalMs),
      noopPerSec: rate(NOOP_N, noopMs),
      startP50: percentile(outcomes.latencies, 50) - EJECT_DELAY_MS,
      startP99: percentile(outcomes.latencies, 99) - EJECT_DELAY_MS,
      noopP50: percentile(noopLatencies, 50),
      shape,
      rentalCpu,
      noopCpu,
      load,
      failures: outcomes.failures.length + (check.total - check.completed),
    };
  } finally {
    await stack.stop();
  }
}

async function main() {
  const runs: ModeRun[] = [];
  for (const mode of MODES) for (const workers of WORKERS) runs.push(await runMode(mode, workers));
  for (const line of summary(runs)) log(line);
  process.exitCode = runs.some((r) => r.failures) ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
