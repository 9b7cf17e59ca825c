import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A process of the system (src/workers/<name>.ts) started as production starts it, with its own RSS. */
export interface BenchChild {
  proc: ChildProcess;
  /** Resident set size now, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * How the processes run (BENCH_RUNTIME): `dist` (default), compiled by tsc into dist/ as
 * `npm run build` does and run by plain node, as production runs them; or `tsx`, the TypeScript
 * sources under tsx as `npm run dev` runs them (tsx's loader, and the source maps it turns on for
 * every stack trace, cost the worker CPU that production does not spend).
 */
export const BENCH_RUNTIME = process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';
const PROCESSES = ['worker', 'api', 'mqtt-bridge'];
let compiled: Promise<void> | undefined;

/**
 * Compiles src/ and scripts/ into dist/ once per bench (tsc -p tsconfig.build.json, about 20 s).
 * Type errors in files the processes do not load do not stop the bench; a process's file that
 * was not written does.
 */
function compileOnce(): Promise<void> {
  compiled ??= new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    tsc.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    tsc.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    tsc.once('error', reject);
    tsc.once('exit', () => {
      const stale = PROCESSES.filter((name) => {
        const file = path.join(ROOT, 'dist', 'src', 'workers', `${name}.js`);
        return !fs.existsSync(file) || fs.statSync(file).mtimeMs < started - 1000;
      });
      if (stale.length) reject(new Error(`tsc did not write dist/src/workers/{${stale.join(',')}}.js: ${out}`));
      else resolve();
    });
  });
  return compiled;
}

/** The node arguments that run `src/workers/<name>.ts`: its compiled file, or the source under tsx. */
async function entry(name: string): Promise<string[]> {
  if (BENCH_RUNTIME === 'tsx') return ['--import', 'tsx', path.join(ROOT, 'src', 'workers', `${name}.ts`)];
  await compileOnce();
  return [path.join(ROOT, 'dist', 'src', 'workers', `${name}.js`)];
}

/**
 * Starts `src/workers/<name>.ts` (compiled, or under tsx: BENCH_RUNTIME) with `env`, resolved once
 * its log says `ready` (a message of that log line); `nodeArgs` go to node before the script (e.g. `--cpu-prof`).
 */
export async function startChild(name: string, env: Record<string, string>, ready: string, nodeArgs: string[] = []): Promise<BenchChild> {
  const proc = spawn(process.execPath, [...nodeArgs, ...(await entry(name))], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 120 s: ${tail.slice(-800)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${tail.slice(-800)}`)));
  });
  proc.stdout!.resume();
  proc.stderr!.resume();
  return {
    proc,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The median of `n` RSS readings a second apart: one reading catches a collection half done. */
export async function settledRss(child: BenchChild, n = 5): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i) await new Promise((r) => setTimeout(r, 1000));
    readings.push(child.rssMb());
  }
  return readings.sort((a, b) => a - b)[Math.floor(n / 2)];
}
