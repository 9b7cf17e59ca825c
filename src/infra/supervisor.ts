import { spawn, type ChildProcess } from 'node:child_process';

/** How a supervised process is (re)started: a fresh process each call. */
export type ServiceStarter = () => ChildProcess | Promise<ChildProcess>;

export interface ServiceSpec {
  name: string;
  start: ServiceStarter;
  /**
   * Infrastructure (PostgreSQL, the Temporal dev server, the broker): when it dies on its own,
   * nothing above it can work, so the supervisor stops everything instead of restarting it.
   */
  critical?: boolean;
  /** Stop order: higher layers stop first (default: 0 for critical services, 2 for the rest; the broker and Temporal's services are 1). */
  layer?: number;
  /** How to ask it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
}

export interface BackoffOptions {
  /** First restart delay (default 500 ms); doubled after each crash in a row, up to maxMs (default 15 s). */
  initialMs?: number;
  maxMs?: number;
  /** A process that ran at least this long before crashing starts over at initialMs (default 30 s). */
  resetAfterMs?: number;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  backoff?: BackoffOptions;
  /** Called once when a critical service died on its own; the supervisor has begun stopping everything. */
  onFatal?: (name: string, reason: string) => void;
  /** Within this time of stopAll() what still runs is killed (default 8 s). */
  stopDeadlineMs?: number;
}

interface Entry {
  spec: ServiceSpec;
  child?: ChildProcess;
  startedAt: number;
  crashes: number;
  restarts: number;
  timer?: NodeJS.Timeout;
  /** Set while we stop or restart it ourselves: its exit is expected. */
  planned: boolean;
}

const EXIT_GRACE_MS = 100;
const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `signal ${signal}` : `code ${code}`);

/**
 * The process supervisor of `npm run dev` (both modes) and of the fault suite: a service that
 * exits on its own is started again after a back-off (500 ms, 1 s, 2 s ... up to 15 s, back to
 * the start after 30 s of good running) and each restart is logged; a critical one's exit stops
 * everything with a clear message; stopAll() (Ctrl-C) stops every process, newest first.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  /** Processes stopped by restart(): their exit is expected. */
  private readonly stoppedOnPurpose = new WeakSet<ChildProcess>();

  constructor(private readonly opts: SupervisorOptions) {}

  get isStopping() {
    return this.stopping;
  }

  /** Starts a service and keeps it running; resolves once its first process is spawned. */
  async add(spec: ServiceSpec): Promise<ChildProcess> {
    if (this.entries.has(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    const entry: Entry = { spec, startedAt: 0, crashes: 0, restarts: 0, planned: false };
    this.entries.set(spec.name, entry);
    await this.launch(entry);
    return entry.child!;
  }

  /** The live process of a service (for a fault to inject), if one runs now. */
  process(name: string): ChildProcess | undefined {
    const child = this.entries.get(name)?.child;
    return child && child.exitCode === null && child.signalCode === null ? child : undefined;
  }

  /** How often a service was restarted after exiting on its own. */
  restarts(name: string): number {
    return this.entries.get(name)?.restarts ?? 0;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** A planned restart (an operator's, or a fault suite's): stops the process, then starts it again at once. */
  async restart(name: string): Promise<ChildProcess> {
    const entry = this.mustGet(name);
    entry.planned = true;
    // Its exit is judged a moment after it happens (EXIT_GRACE_MS), when the new process may not
    // be started yet: remembered here, so that exit is never taken for a crash (which started a
    // second copy beside the new one: PostgreSQL then failed on its port and data folder).
    if (entry.child) this.stoppedOnPurpose.add(entry.child);
    if (entry.timer) clearTimeout(entry.timer);
    await this.stopOne(entry);
    entry.planned = false;
    await this.launch(entry);
    return entry.child!;
  }

  /** Stops every service, the last started first; kills what is left at the deadline. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.entries.values()].reverse();
    for (const e of all) if (e.timer) clearTimeout(e.timer);
    const deadline = this.opts.stopDeadlineMs ?? 8_000;
    const killer = setTimeout(() => {
      for (const e of all) if (e.child && e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
    }, deadline);
    // Applications first (they need the infrastructure to finish cleanly), then the infrastructure.
    const layer = (e: Entry) => e.spec.layer ?? (e.spec.critical ? 0 : 2);
    for (const l of [...new Set(all.map(layer))].sort((a, b) => b - a)) {
      await Promise.allSettled(all.filter((e) => layer(e) === l).map((e) => this.stopOne(e)));
    }
    clearTimeout(killer);
  }

  private mustGet(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no service ${name}`);
    return entry;
  }

  private async launch(entry: Entry): Promise<void> {
    if (this.stopping) return;
    entry.timer = undefined;
    const child = await entry.spec.start();
    entry.child = child;
    entry.startedAt = Date.now();
    child.on('error', (err) => this.opts.log(`${entry.spec.name}: ${err.message}`));
    // A Ctrl-C reaches the whole process group: the children may exit a moment before our own
    // handler calls stopAll(). Their exit is judged after that moment.
    child.once('exit', (code, signal) => setTimeout(() => this.onExit(entry, child, describeExit(code, signal)), EXIT_GRACE_MS));
  }

  private onExit(entry: Entry, child: ChildProcess, reason: string) {
    if (entry.child !== child || entry.planned || this.stopping || this.stoppedOnPurpose.has(child)) return;
    const { name, critical } = entry.spec;
    if (critical) {
      this.opts.log(`${name} exited (${reason}): infrastructure is gone, stopping everything`);
      this.opts.onFatal?.(name, reason);
      void this.stopAll();
      return;
    }
    const b = this.opts.backoff ?? {};
    const ranMs = Date.now() - entry.startedAt;
    entry.crashes = ranMs >= (b.resetAfterMs ?? 30_000) ? 1 : entry.crashes + 1;
    const delay = Math.min((b.initialMs ?? 500) * 2 ** (entry.crashes - 1), b.maxMs ?? 15_000);
    entry.restarts += 1;
    this.opts.log(
      `${name} exited (${reason}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${delay < 1000 ? `${delay} ms` : `${(delay / 1000).toFixed(1)} s`} (restart ${entry.restarts})`,
    );
    entry.timer = setTimeout(() => {
      this.launch(entry).then(
        () => this.opts.log(`${name} restarted (pid ${entry.child?.pid})`),
        (err: Error) => {
          this.opts.log(`${name} could not be restarted: ${err.message}; trying again`);
          this.onExit(entry, child, 'start failed');
        },
      );
    }, delay);
  }

  private stopOne(entry: Entry): Promise<void> {
    const child = entry.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(entry.spec.stopSignal ?? 'SIGTERM');
    });
  }
}

/** Where spawnPrefixed writes its children's lines: our stdout / stderr unless sendChildOutputTo() named a file. */
let childOutput: { out: (s: string) => void; err: (s: string) => void } = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/** Sends every later spawnPrefixed child's output (both streams) to one writable, e.g. a log file. */
export function sendChildOutputTo(sink: { write(s: string): unknown }): void {
  childOutput = { out: (s) => sink.write(s), err: (s) => sink.write(s) };
}

/** Spawns a program with each line of its output prefixed with `[name]` on our stdout / stderr. */
export function spawnPrefixed(name: string, command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  child.stdout?.on('data', (c: Buffer) => childOutput.out(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => childOutput.err(prefix(c)));
  return child;
}
