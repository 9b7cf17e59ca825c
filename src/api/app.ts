import express from 'express';
import helmet from 'helmet';
import type { ApiDeps } from './deps';
import { buildSurfaceRouter } from './surfaces';
import { codecServer } from './codec-server';
import { consoleRouter } from './console';
import { payloadCodecFrom } from '../kernel/payload-codec';
import { metricsEndpoint } from './http/metrics';
import { observeRequests } from './http/observe';
import { httpTracing } from './http/tracing';

/** The Express app: request ids and logs, then every configured surface at its mount. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  // Security headers on every surface and on the 404 below (HSTS, nosniff, frame-ancestors, CSP...).
  app.use(helmet());

  // API answers are `Cache-Control: no-store`: an ETag (a hash of every body) would serve no one.
  app.set('etag', false);
  // Request id, request numbers, Prometheus metrics and the request log line, in one middleware (src/api/http/observe.ts).
  app.use(observeRequests(deps.metrics));
  // A server span per request when traces are exported; the workflows it starts are its children.
  if (deps.config.OTEL_EXPORTER_OTLP_ENDPOINT) app.use(httpTracing());
  // Prometheus text for scrapers: behind METRICS_TOKEN when set, and never open on a production API port.
  if (deps.config.METRICS_TOKEN || deps.config.NODE_ENV !== 'production') app.get('/metrics', metricsEndpoint(deps.config.METRICS_TOKEN));

  // The Temporal UI's codec endpoint, for operators, when payloads are encrypted and a token is set.
  const codec = payloadCodecFrom(deps.config);
  if (codec && deps.config.CODEC_SERVER_TOKEN)
    app.use('/codec', codecServer(codec, { token: deps.config.CODEC_SERVER_TOKEN, uiOrigin: deps.config.TEMPORAL_UI_ORIGIN }));

  // The operations console (issue 17), off when CONSOLE_PATH is empty.
  if (deps.config.CONSOLE_PATH) app.use(deps.config.CONSOLE_PATH, consoleRouter(deps.config));

  // Longest mount first, so /water/api is not swallowed by a surface at /.
  const mounts = [...deps.config.SURFACES].sort((a, b) => b.mount.length - a.mount.length);
  for (const { name, mount } of mounts) app.use(mount, buildSurfaceRouter(name, mount, deps));

  app.use((req, res) => {
    // Says nothing about which surfaces this deployment serves or where they are mounted.
    res.status(404).json({ error: 'Not found', code: 'NOT_FOUND', path: req.path });
  });
  return app;
}
