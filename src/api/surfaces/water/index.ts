import { z } from 'zod';
import { healthRoute, HealthSchema } from '../health.routes';
import type { SurfaceModule } from '../types';
import { waterAdminRoutes } from './admin.routes';
import { waterDeskRoutes } from './desk.routes';
import { otpRoutes } from './otp.routes';
import { paymentRoutes } from './payments.routes';
import { waterRateLimit } from './rate-limit';
import { smsRoutes } from './sms.routes';

/** Seed 002 `GET /api/health` in the water envelope; a 503 keeps the report in `data`. */
const healthRoutes = healthRoute({
  path: '/health',
  unhealthy: {
    body: (report) => ({ success: false, message: 'A dependency is down', error: 'SERVICE_UNAVAILABLE', data: report }),
    schema: z.object({ success: z.literal(false), message: z.string(), error: z.literal('SERVICE_UNAVAILABLE'), data: HealthSchema }),
  },
});

/** Water dispensing stations, Kenya (seed 002). */
export const water = {
  title: 'Water Stations API',
  description: 'Water dispensing stations (Kenya): seed 002.',
  modules: [waterRateLimit, paymentRoutes, otpRoutes, smsRoutes, waterAdminRoutes, waterDeskRoutes, healthRoutes] as SurfaceModule[],
};
