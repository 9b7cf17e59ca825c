import { healthRoute } from '../health.routes';
import type { SurfaceModule } from '../types';
import { evAdminRoutes } from './admin.routes';
import { evDeskRoutes } from './desk.routes';
import { evDeviceRoutes } from './devices.routes';
import { evSessionRoutes } from './sessions.routes';
import { evReplenishRoutes } from './replenish.routes';
import { evUserRoutes } from './user.routes';

/** EV chargers, Mongolia (seed 000): plain JSON, errors as {error, code, details?}. */
export const ev = {
  title: 'EV Charging API',
  description: 'EV chargers (Mongolia): seed 000. Push messages arrive over NATS on the topic that /user/otp-check returns.',
  modules: [healthRoute({ path: '/health' }), evUserRoutes, evDeviceRoutes, evSessionRoutes, evReplenishRoutes, evAdminRoutes, evDeskRoutes] as SurfaceModule[],
};
