import { healthRoute } from '../health.routes';
import type { SurfaceModule } from '../types';

/** EV chargers, Mongolia (seed 000). Health in plain JSON; the rest arrives with the EV issue. */
export const ev = {
  title: 'EV Charging API',
  description: 'EV chargers (Mongolia): seed 000.',
  modules: [healthRoute({ path: '/health' })] as SurfaceModule[],
};
