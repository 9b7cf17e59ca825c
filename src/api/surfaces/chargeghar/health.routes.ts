import { z } from 'zod';
import { checkHealth } from '../../health';
import type { SurfaceModule } from '../types';

const HealthSchema = z.object({
  status: z.enum(['healthy', 'degraded']),
  database: z.enum(['connected', 'down']),
  temporal: z.enum(['connected', 'down']),
  mqtt: z.enum(['connected', 'down']),
  uptime_seconds: z.number(),
  timestamp: z.string(),
});

export const healthRoutes: SurfaceModule = (routes, deps) => {
  routes.route({
    method: 'get',
    path: '/app/health',
    summary: 'Backend health: database, Temporal and MQTT',
    tags: ['App'],
    response: HealthSchema,
    errors: { 503: 'A dependency is down (same body, success=false)' },
    handler: async ({ res }) => {
      const report = await checkHealth(deps);
      if (report.status !== 'healthy') {
        res.status(503).json({ success: false, data: report, error: { code: 'SERVICE_UNAVAILABLE', message: 'A dependency is down' } });
        return;
      }
      return report;
    },
  });
};

export { HealthSchema };
