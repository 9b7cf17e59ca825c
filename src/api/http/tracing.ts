import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { tracer } from '../../kernel/observability/tracing';
import { routeTemplate } from './metrics';

/**
 * One server span per HTTP request (continuing a caller's `traceparent`), active while the request
 * is handled, so the workflows it starts, signals or updates are its children. It carries the
 * request id (`stationflow.request_id`) and is named by the route template once one matched.
 */
export function httpTracing(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'stationflow.request_id': String(res.getHeader('X-Request-Id') ?? '') },
      },
      parent,
    );
    res.once('finish', () => {
      const route = routeTemplate(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
