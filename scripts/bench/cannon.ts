import { spawn } from 'node:child_process';

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time (user + system) this process spent per answered request, in ms: what serving one costs here, whatever else loads the machine. */
  cpuMsPerRequest: number;
}

const AUTOCANNON = require.resolve('autocannon/autocannon.js');

/**
 * autocannon against `url` for `seconds` at `connections`, run in a child process so this process's
 * CPU time (process.cpuUsage) counts only the servers it hosts, never the load generator.
 */
export async function measure(url: string, opts: { connections: number; seconds: number; token?: string }): Promise<Measured> {
  const args = [AUTOCANNON, '-j', '-c', String(opts.connections), '-d', String(opts.seconds)];
  if (opts.token) args.push('-H', `authorization=Bearer ${opts.token}`);
  const before = process.cpuUsage();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`autocannon exited ${code}: ${stderr.slice(-500)}`))));
  });
  const cpu = process.cpuUsage(before);
  const r = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, r.requests.total),
  };
}
