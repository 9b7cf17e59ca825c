import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import globalSetup from '../../test/support/global-setup';
import globalTeardown from '../../test/support/global-teardown';
import { ensureSchemathesis } from './schemathesis';
import { fuzzStack } from './stack';

/**
 * `npm run test:fuzz`: schemathesis (every check, every phase but stateful) against each surface's
 * OpenAPI document, on a fresh stack of its own (PostgreSQL, Temporal, MQTT and every outside
 * system's sandbox, on free ports), with real tokens supplied per operation by
 * scripts/fuzz/stationflow_hooks.py. Fails when any surface reports a failure.
 *
 * Deterministic: no time budget, derandomized generation, FUZZ_MAX_EXAMPLES (default 10) cases per
 * operation and phase, so a run sends the same cases whatever the machine's speed (FUZZ_SEED, when
 * set, seeds the generation and the stack's own test data instead of the fixed derandomized one).
 * FUZZ_SURFACES (default all four) picks surfaces by name; FUZZ_LANES (default 2) schemathesis processes run at once.
 */
const SURFACES = [
  { name: 'chargeghar', mount: '/api' },
  { name: 'fleet', mount: '/fleet/api' },
  { name: 'water', mount: '/water/api' },
  { name: 'ev', mount: '/ev/api' },
];

/**
 * Operations left out on `/api`: signing out, ending a session by id (schemathesis feeds it the ids
 * `GET /auth/sessions` lists, the run's own among them) and erasing the account, which would end the
 * fuzzing session's own tokens; and the live pages' server-sent event streams (`/admin/live/...`: a
 * stream stays open up to 5 minutes with pings, so each case held the run that long; the console's
 * tests read them). One pattern per option: schemathesis keeps only the last of several
 * `--exclude-path-regex`, so the three patterns this once was left out logout and logout-all, and
 * every rider operation after them (payments, rentals, profile: 65 operations) met a dead token.
 */
const SESSION_ENDING = '^/auth/(logout|logout-all|account|sessions/[^/]+)$';
const LIVE_STREAMS = '^/admin/live/';

/**
 * What one schemathesis process runs: a surface, or a share of its operations. `/api` runs as two:
 * the riders' and sign-in operations, then (`last`) the admins', which act on the users they list,
 * the run's own rider among them (suspending it ends its sessions). FUZZ_LANES processes at once.
 */
interface Part {
  label: string;
  surface: (typeof SURFACES)[number];
  filters: string[];
  last?: boolean;
}
const LANES = Number(process.env.FUZZ_LANES ?? 2);

function partsOf(surface: (typeof SURFACES)[number]): Part[] {
  if (surface.mount !== '/api') return [{ label: surface.name, surface, filters: [] }];
  // Recording a baseline writes the surface's one file: from one process, with every operation.
  if (process.env.FUZZ_BASELINE_UPDATE === '1')
    return [{ label: surface.name, surface, filters: ['--exclude-path-regex', `${SESSION_ENDING}|${LIVE_STREAMS}`] }];
  return [
    { label: `${surface.name} (riders, sign-in)`, surface, filters: ['--exclude-path-regex', `^/admin/|${SESSION_ENDING}`] },
    { label: `${surface.name} (admin)`, surface, filters: ['--include-path-regex', '^/admin/', '--exclude-path-regex', LIVE_STREAMS], last: true },
  ];
}

/**
 * The failures still accepted on a surface (schemathesis's baseline, scripts/fuzz/baseline/<surface>.json):
 * a run fails only on a failure not listed there. FUZZ_BASELINE_UPDATE=1 writes what this run found.
 */
function baselineArgs(surface: string): string[] {
  const file = path.join(__dirname, 'baseline', `${surface}.json`);
  if (process.env.FUZZ_BASELINE_UPDATE === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return ['--baseline', file, '--baseline-update'];
  }
  return fs.existsSync(file) && process.env.FUZZ_NO_BASELINE !== '1' ? ['--baseline', file] : [];
}

interface SurfaceResult {
  name: string;
  code: number;
  cases: number;
  failures: number;
}

function runSchemathesis(bin: string, baseUrl: string, part: Part, env: NodeJS.ProcessEnv): Promise<SurfaceResult> {
  const { surface } = part;
  const reportDir = fs.mkdtempSync(path.join(process.env.STATIONFLOW_TEST_DIR!, `fuzz-${surface.name}-`));
  const args = [
    'run',
    `${baseUrl}${surface.mount}/openapi.json`,
    '--checks',
    'all',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    process.env.FUZZ_MAX_EXAMPLES ?? '10',
    // One worker: hypothesis describes its strategies by parsing source, which is not thread-safe on Python 3.11.
    '--workers',
    '1',
    // No time budget: under --max-time the fuzzing phase draws new cases until the clock runs out, so how
    // many (and which) cases a run sends depends on the machine's speed. Bounded by --max-examples instead,
    // and derandomized, the same seed generates the same cases on any machine.
    '--generation-deterministic',
    // A failure is reported as found (with its curl), not shrunk: shrinking sent hundreds of requests per failure.
    '--no-shrink',
    '--request-timeout',
    '20',
    '--no-color',
    // PostgreSQL cannot store NUL characters, so every surface refuses them (400) wherever they appear.
    '--generation-allow-x00',
    'false',
    '--suppress-health-check',
    'all',
    '--report',
    'ndjson',
    '--report-dir',
    reportDir,
    ...(process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : []),
    ...baselineArgs(surface.name),
    ...part.filters,
  ];
  return new Promise((resolve) => {
    // In the run's own folder: schemathesis keeps its crash cache (.schemathesis/) in the working directory.
    const child = spawn(bin, args, { cwd: reportDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Printed whole when it ends, not interleaved with the part running beside it.
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      process.stdout.write(`\n── schemathesis ${part.label} (${surface.mount})\n${output}`);
      resolve({ name: part.label, code: code ?? 1, ...summary(output) });
    });
  });
}

/** "N generated" and the failures count from schemathesis's summary lines. */
function summary(output: string): { cases: number; failures: number } {
  const cases = /(\d+) generated/.exec(output);
  const failures = /(\d+) failures?\b/i.exec(output.split('SUMMARY').pop() ?? '');
  return { cases: cases ? Number(cases[1]) : 0, failures: failures ? Number(failures[1]) : 0 };
}

async function main(): Promise<number> {
  const bin = ensureSchemathesis();
  if (!bin) throw new Error('schemathesis is not installed (npm run setup needs python3 with venv and PyPI)');
  // The stack's own test data (names, phones) from a fixed seed too.
  process.env.TEST_SEED ??= process.env.FUZZ_SEED ?? '20261202';
  await globalSetup();
  const fixture = fuzzStack();
  try {
    await fixture.setUp();
    const { stack, credentials } = fixture.value;
    const credentialsFile = path.join(process.env.STATIONFLOW_TEST_DIR!, 'fuzz-credentials.json');
    fs.writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    const env = { ...process.env, SCHEMATHESIS_HOOKS: 'stationflow_hooks', PYTHONPATH: __dirname, FUZZ_CREDENTIALS: credentialsFile };
    const chosen = process.env.FUZZ_SURFACES?.split(',') ?? SURFACES.map((s) => s.name);
    const parts = SURFACES.filter((s) => chosen.includes(s.name)).flatMap(partsOf);
    const results: SurfaceResult[] = [];
    const inLanes = async (queue: Part[]) => {
      const lane = async () => {
        for (let part = queue.shift(); part; part = queue.shift()) results.push(await runSchemathesis(bin, stack.baseUrl, part, env));
      };
      await Promise.all(Array.from({ length: LANES }, lane));
    };
    await inLanes(parts.filter((p) => !p.last));
    await inLanes(parts.filter((p) => p.last));
    process.stdout.write('\n── fuzzing summary\n');
    for (const r of results) process.stdout.write(`${r.name}: ${r.cases} cases generated, ${r.failures} failures (exit ${r.code})\n`);
    return results.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    await fixture.tearDown();
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
