import type { Supervisor } from '../../src/infra/supervisor';

export interface Fault {
  name: string;
  inject(supervisor: Supervisor): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function live(supervisor: Supervisor, service: string) {
  const child = supervisor.process(service);
  if (!child) throw new Error(`${service} is not running`);
  return child;
}

/** SIGKILL of one supervised process; the supervisor starts it again after its back-off. */
const kill9 = (service: string): Fault => ({
  name: `kill -9 ${service}`,
  async inject(supervisor) {
    live(supervisor, service).kill('SIGKILL');
  },
});

/** A planned restart (stop, then start on the same port and data) of a piece of infrastructure. */
const restart = (service: string): Fault => ({
  name: `restart ${service}`,
  async inject(supervisor) {
    await supervisor.restart(service);
  },
});

/**
 * SIGSTOP of a worker for longer than its activities' start-to-close timeouts and its sticky queue's
 * schedule-to-start timeout, then SIGCONT: its tasks time out and run on the other worker; what the
 * paused one finishes late must not count twice.
 */
const pause = (service: string, ms: number): Fault => ({
  name: `SIGSTOP ${service} ${ms / 1000} s`,
  async inject(supervisor) {
    const child = live(supervisor, service);
    child.kill('SIGSTOP');
    try {
      await sleep(ms);
    } finally {
      child.kill('SIGCONT');
    }
  },
});

/**
 * The faults, one at a time, in this order (FAULTS_ONLY=part,part runs the ones whose names contain a
 * part). The pause outlasts the rental activities' 15 s start-to-close timeout (FAULT_PAUSE_MS).
 */
const ALL: Fault[] = [
  kill9('temporal-history-2'),
  kill9('worker-1'),
  kill9('bridge-1'),
  kill9('api-1'),
  restart('mosquitto'),
  pause('worker-2', Number(process.env.FAULT_PAUSE_MS ?? 20_000)),
  restart('postgres'),
];

const only = process.env.FAULTS_ONLY?.split(',').map((s) => s.trim());
export const FAULTS = only ? ALL.filter((f) => only.some((o) => f.name.includes(o))) : ALL;
