import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import { requestContext } from '../kernel/context';
import { logger, redactUrl } from '../kernel/logger';
import type { ApiDeps } from './deps';
import { buildSurfaceRouter } from './surfaces';
import { codecServer } from './codec-server';
import { consoleRouter } from './console';
import { payloadCodecFrom } from '../kernel/payload-codec';
import { httpMetrics, metricsEndpoint } from './http/metrics';
import { httpTracing } from './http/tracing';

/** The Express app: request ids and logs, then every configured surface at its mount. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  // Security headers on every surface and on the 404 below (HSTS, nosniff, frame-ancestors, CSP...).
  app.use(helmet());

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    requestContext.run({ requestId }, next);
  });
  app.use((_req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => deps.metrics.record(Number(process.hrtime.bigint() - started) / 1e6, res.statusCode));
    next();
  });
  app.use(httpMetrics());
  // A server span per request when traces are exported; the workflows it starts are its children.
  if (deps.config.OTEL_EXPORTER_OTLP_ENDPOINT) app.use(httpTracing());
  // Prometheus text for scrapers: behind METRICS_TOKEN when set, and never open on a production API port.
  if (deps.config.METRICS_TOKEN || deps.config.NODE_ENV !== 'production') app.get('/metrics', metricsEndpoint(deps.config.METRICS_TOKEN));
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => String(res.getHeader('X-Request-Id')),
      autoLogging: { ignore: (req) => /\/(health|metrics)$/.test(req.url?.split('?')[0] ?? '') },
      // One short line per request (issue 16: the full request and response objects cost more CPU than the query):
      // method, URL and status only, and query strings can carry credentials, so their values never reach the log.
      wrapSerializers: false,
      serializers: {
        req: (req: { id?: unknown; method?: string; originalUrl?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.originalUrl ?? req.url),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

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
