import { z } from 'zod';
import { checkHealth } from '../../health';
import type { SurfaceModule } from '../types';

const healthRoutes: SurfaceModule = (routes, deps) => {
  routes.route({
    method: 'get',
    path: '/health',
    summary: 'System health (database, Temporal, MQTT)',
    tags: ['System'],
    response: z.object({ status: z.string(), database: z.string(), temporal: z.string(), mqtt: z.string(), timestamp: z.string() }),
    errors: { 503: 'A dependency is down' },
    handler: async ({ res }) => {
      const report = await checkHealth(deps);
      if (report.status !== 'healthy') {
        res.status(503).json({ success: false, message: 'A dependency is down', error: 'SERVICE_UNAVAILABLE', data: report });
        return;
      }
      return report;
    },
  });
};

/** Water dispensing stations, Kenya (seed 002). */
export const water = {
  title: 'Water Stations API',
  description: 'Water dispensing stations (Kenya): seed 002.',
  modules: [healthRoutes] as SurfaceModule[],
};
