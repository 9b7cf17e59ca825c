import { z } from 'zod';
import { healthRoute, HealthSchema } from '../health.routes';

/** Seed 001 `GET /api/app/health`; a 503 keeps the report in `data` next to the error. */
export const healthRoutes = healthRoute({
  path: '/app/health',
  tags: ['App'],
  unhealthy: {
    body: (report) => ({ success: false, data: report, error: { code: 'SERVICE_UNAVAILABLE', message: 'A dependency is down' } }),
    schema: z.object({
      success: z.literal(false),
      data: HealthSchema,
      error: z.object({ code: z.literal('SERVICE_UNAVAILABLE'), message: z.string() }),
    }),
  },
});

export { HealthSchema };
