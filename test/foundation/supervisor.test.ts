import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { Supervisor } from '../../src/infra/supervisor';

/** Issue 15: the supervisor of `npm run dev` restarts a crashed child with back-off and stops all on Ctrl-C or when infrastructure dies. */
const node = (code: string): ChildProcess => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const alive = (c?: ChildProcess) => !!c && c.exitCode === null && c.signalCode === null;
const until = async (what: () => boolean, timeoutMs = 5_000) => {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the dev supervisor', () => {
  const lines: string[] = [];
  let sup: Supervisor;
  beforeEach(() => {
    lines.length = 0;
    sup = new Supervisor({ log: (l) => lines.push(l), backoff: { initialMs: 50, maxMs: 200 }, stopDeadlineMs: 500 });
  });
  afterEach(() => sup.stopAll());

  it('when a child keeps crashing, then it is restarted each time after a doubling back-off, and each restart is logged', async () => {
    const starts: number[] = [];
    await sup.add({ name: 'flaky', start: () => (starts.push(Date.now()), node('process.exit(3)')) });
    await until(() => starts.length >= 5);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // 50, 100, 200, 200 ms of back-off (plus start-up and the exit grace)
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
    expect(gaps[3]).toBeGreaterThanOrEqual(200);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^flaky exited \(code 3\) after .* restarting in 50 ms \(restart 1\)$/)]));
    expect(lines.some((l) => /restarting in 200 ms \(restart 4\)/.test(l))).toBe(true);
  });

  it('when a child is killed with SIGKILL, then a new process takes its place and the others keep running', async () => {
    await sup.add({ name: 'worker', start: () => node('setInterval(() => {}, 1000)') });
    const api = await sup.add({ name: 'api', start: () => node('setInterval(() => {}, 1000)') });
    const first = sup.process('worker')!;
    first.kill('SIGKILL');
    await until(() => alive(sup.process('worker')) && sup.process('worker') !== first);
    expect(sup.restarts('worker')).toBe(1);
    expect(sup.process('api')).toBe(api);
    expect(lines.some((l) => /^worker exited \(signal SIGKILL\)/.test(l))).toBe(true);
    expect(lines.some((l) => /^worker restarted \(pid \d+\)$/.test(l))).toBe(true);
  });

  it('when infrastructure dies, then everything is stopped with a clear message and nothing is restarted', async () => {
    let fatal = '';
    sup = new Supervisor({ log: (l) => lines.push(l), backoff: { initialMs: 100 }, onFatal: (name) => (fatal = name) });
    const pg = await sup.add({ name: 'postgres', critical: true, start: () => node('setInterval(() => {}, 1000)') });
    const api = await sup.add({ name: 'api', start: () => node('setInterval(() => {}, 1000)') });
    pg.kill('SIGKILL');
    await until(() => fatal === 'postgres' && !alive(api));
    expect(lines).toContain('postgres exited (signal SIGKILL): infrastructure is gone, stopping everything');
    await new Promise((r) => setTimeout(r, 300));
    expect(sup.process('api')).toBeUndefined();
    expect(sup.restarts('api')).toBe(0);
  });

  it('when everything is stopped (Ctrl-C), then every child is gone, one that ignores SIGTERM killed at the deadline', async () => {
    const polite = await sup.add({ name: 'polite', start: () => node('setInterval(() => {}, 1000)') });
    const stubborn = await sup.add({
      name: 'stubborn',
      start: () => spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"]),
    });
    await new Promise((r) => stubborn.stdout!.once('data', r)); // its SIGTERM handler is in place
    const started = Date.now();
    await sup.stopAll();
    expect(alive(polite) || alive(stubborn)).toBe(false);
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sup.restarts('polite') + sup.restarts('stubborn')).toBe(0);
  });
});
