import type { SurfaceModule } from '../types';

/** EV chargers, Mongolia (seed 000). Routes arrive with the EV issue. */
export const ev = {
  title: 'EV Charging API',
  description: 'EV chargers (Mongolia): seed 000.',
  modules: [] as SurfaceModule[],
};
