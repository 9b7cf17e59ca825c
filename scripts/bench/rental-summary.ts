import os from 'node:os';
import type { CpuProfile } from './cpu-profile';
import type { HistoryShape } from './history-shape';

/** One mode's run of bench:rentals, as the closing tables show it. */
export interface ModeRun {
  mode: 'dev' | 'cluster';
  workers: number;
  shards?: number;
  lifecycles: number;
  noops: number;
  lifecyclesPerSec: number;
  noopPerSec: number;
  /** Start latency with the kiosk's eject delay taken off, and the no-op's start-to-completion p50. */
  startP50: number;
  startP99: number;
  noopP50: number;
  shape?: HistoryShape;
  rentalCpu: CpuProfile;
  noopCpu: CpuProfile;
  /** The 1-minute load average at the start and the end of the measured rounds. */
  load: [number, number];
  failures: number;
}

const name = (r: ModeRun) =>
  r.mode === 'dev' ? `dev, ${r.workers} worker${r.workers > 1 ? 's' : ''}` : `cluster (${r.shards} shards), ${r.workers} worker${r.workers > 1 ? 's' : ''}`;
const ms = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The figures of every run, one row each (README-ready markdown). */
function figuresTable(runs: ModeRun[]): string[] {
  return [
    row([
      'mode',
      'lifecycles/s',
      'start p50 / p99, eject delay excluded',
      'no-op/s (its p50)',
      'ratio (target ≥ 0.25)',
      'one plain lifecycle',
      'load average',
      'failures',
    ]),
    row(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...runs.map((r) =>
      row([
        name(r),
        r.lifecyclesPerSec.toFixed(2),
        `${ms(r.startP50)} / ${ms(r.startP99)} ms`,
        `${r.noopPerSec.toFixed(2)} (${ms(r.noopP50)} ms)`,
        `**${(r.lifecyclesPerSec / r.noopPerSec).toFixed(3)}**`,
        r.shape ? `${r.shape.events} events, ${r.shape.workflowTasks} tasks` : '–',
        `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
        r.failures,
      ]),
    ),
  ];
}

/** CPU per lifecycle and per no-op of every process, with its share of the stack's CPU, per run. */
function cpuTable(runs: ModeRun[]): string[] {
  const labels = [...new Set(runs.flatMap((r) => [...r.rentalCpu.rows(), ...r.noopCpu.rows()].map((x) => x.label)))];
  const cell = (p: CpuProfile, count: number, label: string) => {
    const x = p.rows().find((y) => y.label === label);
    return x ? `${ms((x.seconds * 1000) / count)} (${(x.share * 100).toFixed(0)}%)` : '–';
  };
  const cores = (p: CpuProfile) => {
    const c = p.cores();
    return `${c.stack.toFixed(2)} + ${c.others.toFixed(2)} other jobs, of ${c.of}`;
  };
  const total = (p: CpuProfile, count: number) => {
    const perItem = (p.rows().reduce((sum, x) => sum + x.seconds, 0) * 1000) / count;
    return `**${ms(perItem)}**: at most ${((os.cpus().length * 1000) / perItem).toFixed(1)}/s on ${os.cpus().length} free cores`;
  };
  return [
    row(['CPU ms (share)', ...runs.flatMap((r) => [`${name(r)}: per lifecycle`, 'per no-op'])]),
    row(['---', ...runs.flatMap(() => ['---', '---'])]),
    ...labels.map((l) => row([l, ...runs.flatMap((r) => [cell(r.rentalCpu, r.lifecycles, l), cell(r.noopCpu, r.noops, l)])])),
    row(['the whole stack (a CPU-bound ceiling)', ...runs.flatMap((r) => [total(r.rentalCpu, r.lifecycles), total(r.noopCpu, r.noops)])]),
    row(['cores busy: the stack + the rest of the machine', ...runs.flatMap((r) => [cores(r.rentalCpu), cores(r.noopCpu)])]),
  ];
}

/** The closing summary: the machine, the figures table and the CPU profile table. */
export function summary(runs: ModeRun[]): string[] {
  return [
    '',
    `## bench:rentals ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${runs[0]?.lifecycles} lifecycles and ${runs[0]?.noops} no-ops per mode`,
    '',
    ...figuresTable(runs),
    '',
    ...cpuTable(runs),
  ];
}
