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

/** Starts `src/workers/<name>.ts` under tsx with `env`, resolved once its log says `ready` (a message of that log line). */
export async function startChild(name: string, env: Record<string, string>, ready: string): Promise<BenchChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'workers', `${name}.ts`)], {
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
