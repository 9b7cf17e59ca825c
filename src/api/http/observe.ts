import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { requestContext } from '../../kernel/context';
import { logger, redactUrl } from '../../kernel/logger';
import type { RequestMetrics } from '../../kernel/request-metrics';
import { routeTemplate } from './metrics';
import { httpDuration, httpRequests, httpServerErrors } from '../../kernel/observability/metrics';

const REQUEST_ID = /^[\w.-]{1,128}$/;
const QUIET_PATHS = /\/(health|metrics)$/;

/**
 * Request lines come from a child without the logger's redaction: their fields are fixed (method,
 * the URL with every credential-bearing query value already replaced by redactUrl, status, time),
 * so the redaction pass over each line (issue 16: a share of the API's CPU per request) finds nothing.
 */
const requestLog = logger.child({}, { redact: [] });

/**
 * What every request gets, in one middleware and one `finish` listener (issue 16: each of these was a
 * middleware of its own, with its own listener and clock, and pino-http built a child logger per
 * request): the request id (a valid incoming X-Request-Id, else a new one) in the response and the
 * request context; the API's own request numbers (RequestMetrics, for admin health); the Prometheus
 * counters and latency histogram per route template; and one short log line (method, redacted URL,
 * status, response time; health and metrics polls unlogged), at error for 5xx and warn when the client left first.
 */
export function observeRequests(metrics: RequestMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const done = (aborted: boolean) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.statusCode;
      if (!aborted) {
        metrics.record(ms, status);
        const route = routeTemplate(req);
        httpRequests.inc({ method: req.method, route, status: String(status) });
        httpDuration.observe({ method: req.method, route }, ms / 1000);
        if (status >= 500) httpServerErrors.inc({ method: req.method, route });
      }
      const level = status >= 500 ? 'error' : aborted ? 'warn' : 'info';
      if (!requestLog.isLevelEnabled(level) || QUIET_PATHS.test(req.originalUrl.split('?')[0])) return;
      const line = { requestId, req: { method: req.method, url: redactUrl(req.originalUrl) }, res: { statusCode: status }, responseTime: Math.round(ms) };
      requestLog[level](line, aborted ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed');
    };
    res.once('finish', () => done(false));
    res.once('close', () => {
      if (!res.writableFinished) done(true);
    });
    requestContext.run({ requestId }, next);
  };
}
