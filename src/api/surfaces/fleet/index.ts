import type { SurfaceModule } from '../types';

/** Leased EV batteries with loans, India (seed 004). Routes arrive with the fleet issue. */
export const fleet = {
  title: 'Battery Fleet API',
  description: 'Leased EV batteries on loans (India): seed 004.',
  modules: [] as SurfaceModule[],
};
