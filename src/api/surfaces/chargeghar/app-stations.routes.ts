import { z } from 'zod';
import { StationQueryService } from '../../../modules/stations';
import { paginated, PaginationMeta } from '../../http/pagination';
import type { SurfaceModule } from '../types';
import { NearbyQuerySchema, SnParams, StationDetailSchema, StationFilterQuery, StationSummarySchema } from './schemas/station.schemas';

/** Seed 001 App features: station list, nearby search (GiST-indexed) and station detail. */
export const appStationRoutes: SurfaceModule = (routes, deps) => {
  const stations = new StationQueryService({ orm: deps.orm, minBatteryPercent: deps.config.RENTAL_MIN_BATTERY_PERCENT });
  const tags = ['App: Stations'];

  routes.route({
    method: 'get',
    path: '/app/stations',
    tags,
    query: StationFilterQuery.extend({ ordering: z.enum(['name', 'newest', 'most_available']).default('name') }),
    response: paginated(StationSummarySchema, { estimatedTotal: true }),
    summary: 'Stations with live status and availability (filters: status, has_available, search)',
    handler: ({ query }) => stations.list(query),
  });
  routes.route({
    method: 'get',
    path: '/app/stations/nearby',
    tags,
    query: NearbyQuerySchema,
    response: z.object({
      results: z.array(StationSummarySchema),
      pagination: PaginationMeta,
      origin: z.object({ lat: z.number(), lng: z.number() }),
      radius_m: z.number(),
    }),
    summary: 'Stations within radius metres of lat/lng, nearest first',
    description: "Distances are great-circle metres on PostgreSQL earthdistance's sphere (radius 6378.168 km).",
    handler: ({ query }) => stations.nearby(query),
  });
  routes.route({
    method: 'get',
    path: '/app/stations/:sn',
    tags,
    params: SnParams,
    response: StationDetailSchema,
    summary: 'One station: location, slots with battery levels, availability, online and maintenance state',
    errors: { 404: 'Unknown station' },
    handler: ({ params }) => stations.detail(params.sn),
  });
};
