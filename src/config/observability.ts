import { z } from 'zod';

/**
 * Metrics and traces (issue 15). `/metrics` (Prometheus text) is served by the API on its own port
 * when METRICS_TOKEN is set (a bearer token) or outside production; every process (API, worker,
 * bridge) also serves it on an admin listener of its own when METRICS_PORT is set. Traces go out
 * by OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set. docs/OPERATIONS.md lists the names.
 */
export const observabilityConfigShape = {
  /** Bearer token a scraper sends (`Authorization: Bearer <token>`); unset, /metrics is open on the admin listener and off on a production API port. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The process's admin listener for /metrics (0: any free port, logged); unset: none. Give each process of a host its own. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Where the admin listener binds: loopback unless the scraper is elsewhere. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The Temporal Core SDK's own Prometheus exporter (worker process); the worker's /metrics forwards it. Default: a free loopback port. */
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .optional(),
  /** OTLP/HTTP collector base URL (`http://collector:4318`): traces are exported to `<url>/v1/traces`; unset, no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL')
    .optional(),
  /** The `service.name` of this process's spans; default `stationflow-<process>`. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};
