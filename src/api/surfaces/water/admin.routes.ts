import { z } from 'zod';
import { rotateStationSecret } from '../../../modules/dispensing';
import type { SurfaceModule } from '../types';
import { adminGuard } from './station-guard';

/** An admin provisions or rotates a water station's signing secret (returned once; the previous one works for the overlap). */
export const waterAdminRoutes: SurfaceModule = (routes, deps) => {
  routes.route({
    method: 'post',
    path: '/admin/stations/:stationId/secret',
    summary: "Provision or rotate a station's signing secret (returned once)",
    description:
      "Admin bearer token. The new secret is stored encrypted and shown only in this answer; the station's previous secret keeps working until `previousValidUntil` (WATER_STATION_SECRET_OVERLAP_MINUTES), so the station switches without a refused request.",
    tags: ['Stations'],
    status: 201,
    limits: [adminGuard(deps)],
    params: z.object({ stationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -') }),
    response: z.object({ stationId: z.string(), secret: z.string(), previousValidUntil: z.string().nullable() }),
    errors: { 401: 'No admin token', 403: 'Not an admin', 404: 'Water station not found' },
    message: 'Station secret rotated',
    handler: ({ params }) =>
      rotateStationSecret(deps.orm, deps.config.WATER_STATION_SECRET, params.stationId, deps.config.WATER_STATION_SECRET_OVERLAP_MINUTES * 60_000),
  });
};
