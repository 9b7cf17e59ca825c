import { healthRoute } from '../health.routes';
import type { SurfaceModule } from '../types';

/** Leased EV batteries with loans, India (seed 004). Health in plain JSON; the rest arrives with the fleet issue. */
export const fleet = {
  title: 'Battery Fleet API',
  description: 'Leased EV batteries on loans (India): seed 004.',
  modules: [healthRoute({ path: '/health' })] as SurfaceModule[],
};
