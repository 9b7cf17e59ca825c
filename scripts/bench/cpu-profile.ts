import fs from 'node:fs';
import os from 'node:os';
import type { NamedProcess } from './app-processes';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** Parent and CPU ticks (user + system, and of its waited-for children) of every process now. */
function processTable(): Map<number, { ppid: number; ticks: number; own: number }> {
  const table = new Map<number, { ppid: number; ticks: number; own: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // After the command's closing parenthesis: state, ppid, ..., utime (11), stime, cutime, cstime.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    table.set(Number(entry), { ppid: Number(f[1]), own, ticks: own + Number(f[13]) + Number(f[14]) });
  }
  return table;
}

/** The machine's busy and total ticks over all cores (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3] - cpu[4], total };
}

/** CPU ticks per named process (summed over its descendants, e.g. PostgreSQL's backends), the bench's own, and the machine's. */
function snapshot(named: NamedProcess[], selfLabel: string) {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const subtree = (pid: number): number => (table.get(pid)?.ticks ?? 0) + (children.get(pid) ?? []).reduce((sum, c) => sum + subtree(c), 0);
  const ticks = new Map<string, number>();
  for (const { pid, label } of named) if (pid) ticks.set(label, (ticks.get(label) ?? 0) + subtree(pid));
  ticks.set(selfLabel, table.get(process.pid)?.own ?? 0);
  return { ticks, machine: machineTicks() };
}

export interface CpuRow {
  label: string;
  /** CPU seconds used within the measured spans. */
  seconds: number;
  /** Its part of all the CPU the stack used. */
  share: number;
}

/**
 * CPU time per process of a bench, over the spans passed to measure(): the named processes (with
 * their children), the bench's own process, and the rest of the machine (other jobs) from /proc/stat.
 */
export class CpuProfile {
  private readonly totals = new Map<string, number>();
  private machineBusy = 0;
  private machineTotal = 0;
  wallMs = 0;

  constructor(
    private readonly named: () => NamedProcess[],
    private readonly selfLabel: string,
  ) {}

  async measure<T>(span: () => Promise<T>): Promise<T> {
    const before = snapshot(this.named(), this.selfLabel);
    const t0 = Date.now();
    try {
      return await span();
    } finally {
      const after = snapshot(this.named(), this.selfLabel);
      this.wallMs += Date.now() - t0;
      for (const [label, t] of after.ticks) this.totals.set(label, (this.totals.get(label) ?? 0) + Math.max(0, t - (before.ticks.get(label) ?? 0)));
      this.machineBusy += after.machine.busy - before.machine.busy;
      this.machineTotal += after.machine.total - before.machine.total;
    }
  }

  /** Per process, the largest first. */
  rows(): CpuRow[] {
    const all = [...this.totals.values()].reduce((a, b) => a + b, 0) || 1;
    return [...this.totals].map(([label, t]) => ({ label, seconds: t / TICKS_PER_S, share: t / all })).sort((a, b) => b.seconds - a.seconds);
  }

  /** Cores busy on average over the spans: the whole machine's, the stack's, and the rest (other jobs on the machine). */
  cores(): { machine: number; stack: number; others: number; of: number } {
    const of = os.cpus().length;
    const machine = this.machineTotal ? (this.machineBusy / this.machineTotal) * of : 0;
    const stack = this.wallMs ? [...this.totals.values()].reduce((a, b) => a + b, 0) / TICKS_PER_S / (this.wallMs / 1000) : 0;
    return { machine, stack, others: Math.max(0, machine - stack), of };
  }
}
