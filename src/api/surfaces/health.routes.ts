import { z, type ZodType } from 'zod';
import { AppError } from '../../kernel/errors';
import { currentHealth, type HealthReport } from '../health';
import type { SurfaceModule } from './types';

const Dependency = z.enum(['connected', 'down']);

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    database: Dependency,
    temporal: Dependency,
    mqtt: Dependency,
    uptime_seconds: z.number(),
    timestamp: z.string(),
  })
  .openapi('HealthReport');

export const HealthQuery = z.object({
  timeout_ms: z.coerce
    .number()
    .int()
    .min(100)
    .max(5000)
    .optional()
    .openapi({ description: 'How long each dependency probe may take before it counts as down (default 2000)' }),
});

export interface HealthRouteOptions {
  path: string;
  tags?: string[];
  /**
   * The 503 body when a dependency is down, and its schema for the OpenAPI document. Without it
   * the surface's own error envelope is used, with code SERVICE_UNAVAILABLE and the report in `details`.
   */
  unhealthy?: { body: (report: HealthReport) => unknown; schema: ZodType };
}

/**
 * `GET <path>`: database, Temporal and MQTT as connected/down; 200 when all are up, 503 otherwise.
 * Each surface mounts it where its seed puts health and renders the 503 in its own envelope.
 */
export function healthRoute(opts: HealthRouteOptions): SurfaceModule {
  return (routes, deps) => {
    routes.route({
      method: 'get',
      path: opts.path,
      summary: 'System health: database, Temporal and MQTT',
      tags: opts.tags ?? ['System'],
      query: HealthQuery,
      response: HealthSchema,
      errors: {
        503: opts.unhealthy
          ? { description: 'A dependency is down (the report says which)', schema: opts.unhealthy.schema }
          : 'A dependency is down (the report, in details, says which)',
      },
      handler: async ({ query, res }) => {
        const report = await currentHealth(deps, query.timeout_ms);
        if (report.status === 'healthy') return report;
        if (!opts.unhealthy) throw new AppError('SERVICE_UNAVAILABLE', 'A dependency is down', 503, report);
        res.status(503).json(opts.unhealthy.body(report));
        return undefined;
      },
    });
  };
}
