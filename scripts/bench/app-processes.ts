import { freePort } from '../../src/infra/ports';
import { startChild, type BenchChild } from './child';

/** A process the CPU profile names (its pid may be unknown while it restarts). */
export interface NamedProcess {
  pid: number | undefined;
  label: string;
}

/** Node options of the worker processes only (BENCH_WORKER_NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
export const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);

/**
 * The API, `workers` workers and the MQTT bridge, each its own process (src/workers/*.ts compiled
 * as production runs them, or under tsx: BENCH_RUNTIME) with the production `env`, on the pre-built bundle.
 */
export async function startAppProcesses(env: Record<string, string>, bundle: string, workers: number) {
  const port = await freePort();
  const children: { child: BenchChild; label: string }[] = [];
  const start = async (name: string, label: string, extra: Record<string, string>, ready: string) => {
    const nodeArgs = name === 'worker' ? WORKER_NODE_ARGS : [];
    children.push({ child: await startChild(name, { ...env, ...extra, SERVICE_NAME: label }, ready, nodeArgs), label });
  };
  try {
    await Promise.all([
      start('api', 'api', { PORT: String(port) }, 'API listening'),
      start('mqtt-bridge', 'mqtt-bridge', { MQTT_BRIDGE_CLIENT_ID: 'stationflow-bridge-bench' }, 'MQTT bridge running'),
      ...Array.from({ length: workers }, (_, i) => start('worker', `worker-${i + 1}`, { WORKFLOW_BUNDLE_PATH: bundle }, 'worker running')),
    ]);
  } catch (err) {
    await Promise.allSettled(children.map(({ child }) => child.stop()));
    throw err;
  }
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    processes: (): NamedProcess[] => children.map(({ child, label }) => ({ pid: child.proc.pid, label })),
    /** The API first (no new starts), then the bridge and the workers together. */
    async stop() {
      const api = children.find((c) => c.label === 'api');
      await api?.child.stop();
      await Promise.allSettled(children.filter((c) => c !== api).map(({ child }) => child.stop()));
    },
  };
}
