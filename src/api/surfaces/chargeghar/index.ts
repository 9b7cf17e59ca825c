import type { SurfaceModule } from '../types';
import { adminStationRoutes } from './admin-stations.routes';
import { authAccountRoutes } from './auth-account.routes';
import { authOtpRoutes } from './auth-otp.routes';
import { healthRoutes } from './health.routes';

/** ChargeGhar power-bank kiosks, Nepal (seeds 001 and 003). */
export const chargeghar = {
  title: 'ChargeGhar API',
  description: 'Power-bank rental kiosks (Nepal): seeds 001 and 003.',
  modules: [healthRoutes, adminStationRoutes, authOtpRoutes, authAccountRoutes] as SurfaceModule[],
};
