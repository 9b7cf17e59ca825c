import type { SurfaceModule } from '../types';
import { adminStationRoutes } from './admin-stations.routes';
import { authAccountRoutes } from './auth-account.routes';
import { authOtpRoutes } from './auth-otp.routes';
import { healthRoutes } from './health.routes';
import { adminWalletRoutes } from './admin-wallet.routes';
import { paymentRoutes } from './payment.routes';
import { pointsRoutes } from './points.routes';
import { topupRoutes } from './topup.routes';
import { refundRoutes } from './refund.routes';

/** ChargeGhar power-bank kiosks, Nepal (seeds 001 and 003). */
export const chargeghar = {
  title: 'ChargeGhar API',
  description: 'Power-bank rental kiosks (Nepal): seeds 001 and 003.',
  modules: [healthRoutes, adminStationRoutes, authOtpRoutes, authAccountRoutes, paymentRoutes, topupRoutes, refundRoutes, pointsRoutes, adminWalletRoutes] as SurfaceModule[],
};
