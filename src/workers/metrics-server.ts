import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { logger } from '../kernel/logger';
import { metricsText, METRICS_CONTENT_TYPE } from '../kernel/observability/metrics';
import { bearerMatches } from '../api/http/metrics';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A process's admin listener for `GET /metrics` at METRICS_HOST:METRICS_PORT (loopback by default),
 * behind METRICS_TOKEN when set; nothing else is served there. Undefined when METRICS_PORT is unset.
 */
export async function startMetricsServer(config: Config, processName: string, extra: (() => Promise<string>)[] = []): Promise<MetricsServer | undefined> {
  if (config.METRICS_PORT === undefined) return undefined;
  const token = config.METRICS_TOKEN;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end();
    if (token && !bearerMatches(req.headers.authorization, token)) return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    metricsText(extra).then(
      (text) => res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.METRICS_PORT, config.METRICS_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ process: processName, host: config.METRICS_HOST, port }, 'metrics listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
