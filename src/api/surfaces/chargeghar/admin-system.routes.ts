import { z } from 'zod';
import { QueryDate } from '../../http/query';
import { currentHealth } from '../../health';
import { paginated, PaginationQuery } from '../../http/pagination';
import { taskQueueLoad } from '../../../kernel/temporal/task-queue-stats';
import { AuditLogService } from '../../../modules/audit';
import type { SurfaceModule } from '../types';

const When = QueryDate;

const LogEntry = z
  .object({
    kind: z.enum(['admin_action', 'error']),
    id: z.string(),
    created_at: z.string(),
    request_id: z.string().nullable(),
    status: z.number().int(),
  })
  .passthrough()
  .openapi('SystemLogEntry', {
    description: 'An admin action (actor, action, target, before, after, details) or an error event (method, path, code, message)',
  });

const SystemHealth = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    uptime_seconds: z.number(),
    dependencies: z.object({ database: z.string(), temporal: z.string(), mqtt: z.string() }),
    requests: z.object({
      window_seconds: z.number(),
      requests: z.number(),
      server_errors: z.number(),
      error_rate: z.number(),
      p50_ms: z.number().nullable(),
      p99_ms: z.number().nullable(),
    }),
    temporal: z
      .object({ task_queue: z.string(), workflow_backlog: z.number().nullable(), activity_backlog: z.number().nullable(), workers: z.number() })
      .passthrough()
      .nullable(),
    broker: z.object({ connected: z.boolean() }),
    stations: z.object({ total: z.number(), online: z.number(), offline: z.number(), maintenance: z.number() }),
    timestamp: z.string(),
  })
  .openapi('SystemHealth');

/** Seed 001 Admin › System Management: health and logs (broadcast is in admin-broadcast.routes.ts). */
export const adminSystemRoutes: SurfaceModule = (routes, deps) => {
  const audit = new AuditLogService({ orm: deps.orm });

  routes.route({
    method: 'get',
    path: '/admin/system/health',
    summary: 'Backend health: uptime, error rate and p99 latency over the last minutes, Temporal backlog and workers, broker, stations online',
    tags: ['Admin: System'],
    auth: 'admin',
    response: SystemHealth,
    handler: async () => {
      const report = await currentHealth(deps);
      const queue = await taskQueueLoad(deps.temporal, deps.config.TEMPORAL_NAMESPACE, deps.config.TEMPORAL_TASK_QUEUE).catch(() => null);
      return {
        status: report.status,
        uptime_seconds: Math.round(process.uptime()),
        dependencies: { database: report.database, temporal: report.temporal, mqtt: report.mqtt },
        requests: deps.metrics.snapshot(),
        temporal: queue,
        broker: { connected: deps.bus.connected },
        stations: await deps.stationAdmin.fleet(),
        timestamp: report.timestamp,
      };
    },
  });

  routes.route({
    method: 'get',
    path: '/admin/system/logs',
    summary: 'The audit log of admin actions (who, what, when, before/after) or recent server errors; filterable, newest first',
    description: 'Tokens, codes, passwords and other secrets are redacted before anything is stored.',
    tags: ['Admin: System'],
    auth: 'admin',
    query: PaginationQuery.extend({
      kind: z.enum(['admin_action', 'error']).default('admin_action'),
      actor_id: z.string().uuid().optional(),
      target_type: z.string().max(48).optional(),
      target_id: z.string().max(120).optional(),
      action: z.string().max(120).optional().openapi({ description: 'Contains, e.g. "PATCH /admin/users"' }),
      from: When.optional(),
      to: When.optional(),
    }),
    response: paginated(LogEntry),
    handler: ({ query }) => audit.list(query),
  });
};
