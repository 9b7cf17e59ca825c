import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { metricsText, METRICS_CONTENT_TYPE } from '../../kernel/observability/metrics';

/** The route template of a request (`/api/stations/:sn`), never its raw URL; `other` where no route matched (404s, static files). */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'other';
}

/** Whether `header` carries the bearer token (constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** `GET /metrics`: the process's Prometheus text, behind the bearer token when one is set. */
export function metricsEndpoint(token: string | undefined, extra: (() => Promise<string>)[] = []): RequestHandler {
  return (req, res, next) => {
    if (token && !bearerMatches(req.header('authorization'), token)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').json({ error: 'Metrics need the bearer token', code: 'UNAUTHORIZED' });
      return;
    }
    metricsText(extra).then((text) => {
      res.setHeader('Content-Type', METRICS_CONTENT_TYPE);
      res.setHeader('Cache-Control', 'no-store');
      res.send(text);
    }, next);
  };
}
