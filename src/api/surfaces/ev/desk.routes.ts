import { z } from 'zod';
import { CHARGER_STATES, ChargerDeskService } from '../../../modules/charging';
import { paginated, PaginationQuery, QueryBool } from '../../http/pagination';
import { DeskWaiting } from '../desk';
import type { SurfaceModule } from '../types';

const Summary = z.object({ chargers_faulted: DeskWaiting }).openapi('EvDeskSummary');
const Charger = z
  .object({
    id: z.string(),
    device_number: z.string(),
    state: z.enum(CHARGER_STATES),
    ocpp_status: z.string().nullable(),
    connected: z.boolean(),
    repair: z.boolean(),
    price: z.number().int(),
    latitude: z.number(),
    longitude: z.number(),
    last_seen_at: z.string().nullable(),
  })
  .openapi('EvDeskCharger');

/** Read-only paths for the operations console (issue 17): platform admins with their second factor. */
export const evDeskRoutes: SurfaceModule = (routes, deps) => {
  const desk = new ChargerDeskService({ orm: deps.orm });
  routes.route({
    method: 'get',
    path: '/admin/summary',
    summary: 'What needs a person: chargers faulted (OCPP Faulted, or in Error), the oldest by when last heard from (platform admins)',
    tags: ['Admin'],
    auth: 'admin',
    response: Summary,
    handler: () => desk.summary(),
  });
  routes.route({
    method: 'get',
    path: '/admin/chargers',
    summary: 'Chargers with their status (platform admins)',
    tags: ['Admin'],
    auth: 'admin',
    query: PaginationQuery.extend({ state: z.enum(CHARGER_STATES).optional(), faulted: QueryBool.optional() }),
    response: paginated(Charger),
    handler: ({ query }) => desk.chargers({ state: query.state, faulted: query.faulted }, query),
  });
};
