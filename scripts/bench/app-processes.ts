import { freePort } from '../../src/infra/ports';
import { startChild, type BenchChild } from './child';

/** A process the CPU profile names (its pid may be unknown while it restarts). */
export interface NamedProcess {
  pid: number | undefined;
  label: string;
}

/**
 * The API, `workers` workers and the MQTT bridge, each its own process (src/workers/*.ts under tsx
 * with the production `env`, as `npm run dev` and production run them), on the pre-built bundle.
 */
export async function startAppProcesses(env: Record<string, string>, bundle: string, workers: number) {
  const port = await freePort();
  const children: { child: BenchChild; label: string }[] = [];
  const start = async (name: string, label: string, extra: Record<string, string>, ready: string) => {
    children.push({ child: await startChild(name, { ...env, ...extra, SERVICE_NAME: label }, ready), label });
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
