import { z } from 'zod';
import { ChargerCommandService } from '../../../modules/charging';
import type { SurfaceModule } from '../types';

const Charger = z.object({ id: z.string().max(64).openapi({ description: 'The charger `_id`' }) });
const Answer = z
  .object({ status: z.enum(['Accepted', 'Rejected', 'Scheduled']).openapi({ description: "The charger's own answer" }) })
  .openapi('EvChargerAnswer');
const errors = {
  404: 'No such charger',
  409: 'CHARGER_OFFLINE (not connected)',
  502: 'CHARGER_CALL_FAILED (the charger answered with an OCPP CALLERROR)',
  504: 'CHARGER_TIMEOUT (no answer within OCPP_ADMIN_TIMEOUT_SECONDS)',
};

/** Operator commands to a charger over OCPP 1.6-J: ChangeAvailability and Reset (admin token). */
export const evAdminRoutes: SurfaceModule = (routes, deps) => {
  const commands = new ChargerCommandService(deps);
  routes.route({
    method: 'post',
    path: '/admin/chargers/:id/availability',
    summary: 'ChangeAvailability: take a charger (or one connector) out of use, or back',
    description:
      'Inoperative shows the charger as `Repair` on the map once it reports Unavailable; a session in progress makes the charger answer `Scheduled`.',
    tags: ['Admin: Chargers'],
    auth: 'admin',
    params: Charger,
    body: z.object({ type: z.enum(['Operative', 'Inoperative']), connectorId: z.number().int().min(0).max(16).default(0) }).openapi('EvChangeAvailability'),
    response: Answer,
    errors,
    audit: { target: 'charger' },
    handler: ({ params, body }) => commands.changeAvailability(params.id, body.type, body.connectorId),
  });
  routes.route({
    method: 'post',
    path: '/admin/chargers/:id/reset',
    summary: 'Reset: the charger reboots (Soft ends sessions gracefully first; Hard at once)',
    tags: ['Admin: Chargers'],
    auth: 'admin',
    params: Charger,
    body: z.object({ type: z.enum(['Soft', 'Hard']) }).openapi('EvReset'),
    response: Answer,
    errors,
    audit: { target: 'charger' },
    handler: ({ params, body }) => commands.reset(params.id, body.type),
  });
};
