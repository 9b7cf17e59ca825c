import { z } from 'zod';
import { ServiceTicketService } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

const Id = z.object({ id: z.coerce.number().int().positive() });
const Priority = z.enum(['low', 'medium', 'high', 'critical']);
const TicketBody = z
  .object({
    battery_id: z.number().int().positive(),
    issue_category: z.enum(['performance', 'charging', 'physical_damage', 'connectivity', 'other']),
    description: z.string().max(2000).default(''),
    priority: Priority.optional(),
    location: z.string().max(80).optional(),
    skill_required: z.string().max(64).optional(),
  })
  .openapi('ServiceTicketRequest');

/** Service tickets (each a `service-ticket:<id>` workflow) and technicians. */
export const fleetServiceRoutes: SurfaceModule = (routes, deps) => {
  const tickets = new ServiceTicketService({ orm: deps.orm, temporal: deps.temporal, config: deps.config });
  routes.route({
    method: 'post',
    path: '/service/tickets',
    summary: 'Open a service ticket (auto-assigned by its workflow; SLA escalation to admins)',
    tags: ['Service'],
    auth: 'user',
    status: 201,
    body: TicketBody,
    errors: { 404: 'Battery not found' },
    handler: async ({ user, body }) => tickets.create(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'get',
    path: '/service/tickets/active',
    summary: 'Open, assigned and in-progress tickets (technicians: their own)',
    tags: ['Service'],
    auth: 'user',
    handler: async ({ user }) => tickets.active(await callerOf(deps, user)),
  });
  routes.route({
    method: 'put',
    path: '/service/tickets/:id/assign',
    summary: 'Assign a technician',
    tags: ['Service'],
    auth: 'user',
    params: Id,
    body: z.object({ technician_id: z.string().uuid(), priority: Priority.optional() }),
    errors: { 404: 'Ticket or technician not found', 409: 'TICKET_RESOLVED' },
    handler: async ({ user, params, body }) => tickets.assign(await callerOf(deps, user), params.id, body),
  });
  routes.route({
    method: 'put',
    path: '/service/tickets/:id/resolve',
    summary: 'Resolve a ticket (its technician or an admin)',
    tags: ['Service'],
    auth: 'user',
    params: Id,
    errors: { 404: 'Ticket not found' },
    handler: async ({ user, params }) => tickets.resolve(await callerOf(deps, user), params.id),
  });
  technicianRoutes(routes, tickets, deps);
};

function technicianRoutes(routes: Parameters<SurfaceModule>[0], tickets: ServiceTicketService, deps: Parameters<SurfaceModule>[1]) {
  routes.route({
    method: 'post',
    path: '/service/auto-assign',
    summary: 'Assign the best-scoring available technician; the response explains every score',
    description: 'Score = location match 40 + skill match 30 + available 20 + load (10 − 5 per open ticket, ≥ 0).',
    tags: ['Service'],
    auth: 'user',
    body: z.object({ ticket_id: z.number().int().positive(), location: z.string().max(80).optional(), skill_required: z.string().max(64).optional() }),
    errors: { 404: 'Ticket not found', 409: 'TICKET_NOT_OPEN / NO_TECHNICIAN_AVAILABLE' },
    handler: async ({ user, body }) => tickets.autoAssign(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'get',
    path: '/service/technicians/available',
    summary: 'Available technicians with their scores for a location and skill',
    tags: ['Service'],
    auth: 'user',
    query: z.object({ location: z.string().max(80).optional(), skill_required: z.string().max(64).optional() }),
    handler: async ({ user, query }) => tickets.availableTechnicians(await callerOf(deps, user), query),
  });
}
