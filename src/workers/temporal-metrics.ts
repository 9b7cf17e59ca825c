import net from 'node:net';
import { Runtime } from '@temporalio/worker';
import type { Config } from '../config';

/** A free TCP port on the loopback interface (asked of the OS, then released). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The worker's Temporal SDK metrics (task latencies, sticky cache, slots, polls: the Core SDK's
 * `temporal_*` names). Core exports them by its own Prometheus listener on a loopback port
 * (TEMPORAL_METRICS_ADDRESS, else a free one); the worker's /metrics forwards that text so one
 * scrape, behind one token, sees both. Must run before the first connection is made. Returns the
 * forwarding source, or nothing when metrics are off (METRICS_PORT unset).
 */
export async function installTemporalMetrics(config: Config): Promise<(() => Promise<string>) | undefined> {
  if (config.METRICS_PORT === undefined) return undefined;
  const bindAddress = config.TEMPORAL_METRICS_ADDRESS ?? `127.0.0.1:${await freeLoopbackPort()}`;
  Runtime.install({
    telemetryOptions: { metrics: { metricPrefix: 'temporal_', prometheus: { bindAddress, useSecondsForDurations: true } } },
  });
  const url = `http://${bindAddress}/metrics`;
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? res.text() : '';
  };
}
