import { healthRoute } from '../health.routes';
import type { SurfaceModule } from '../types';
import { fleetAdminRoutes } from './admin.routes';
import { fleetAuthRoutes } from './auth.routes';
import { fleetBatteryRoutes } from './batteries.routes';
import { fleetConsumerRoutes } from './consumers.routes';
import { fleetFinanceRoutes } from './finance.routes';
import { fleetNbfcRoutes } from './nbfc.routes';
import { fleetServiceRoutes } from './service.routes';
import { fleetReportRoutes } from './reports.routes';
import { fleetSettlementRoutes } from './settlement.routes';

/** Leased EV batteries with loans, India (seed 004): plain JSON, errors as {error, details, code}. */
export const fleet = {
  title: 'Battery Fleet API',
  description: 'Leased EV batteries on loans (India): seed 004. Log in with POST /auth/login and /auth/verify-otp; send `Authorization: Bearer <token>`.',
  modules: [
    healthRoute({ path: '/health' }),
    fleetAuthRoutes,
    fleetBatteryRoutes,
    fleetConsumerRoutes,
    fleetFinanceRoutes,
    fleetSettlementRoutes,
    fleetNbfcRoutes,
    fleetServiceRoutes,
    fleetReportRoutes,
    fleetAdminRoutes,
  ] as SurfaceModule[],
};
