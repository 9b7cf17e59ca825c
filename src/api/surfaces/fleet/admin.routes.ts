import { z } from 'zod';
import { FLEET_LOAN_STATES, FleetDeskService } from '../../../modules/loans';
import { paginated, PaginationQuery, QueryBool } from '../../http/pagination';
import { DeskWaiting } from '../desk';
import type { SurfaceModule } from '../types';

const Summary = z.object({ loans_overdue: DeskWaiting, batteries_disabled: DeskWaiting }).openapi('FleetDeskSummary');
const Loan = z
  .object({
    id: z.number().int(),
    status: z.enum(FLEET_LOAN_STATES),
    principal_paise: z.number().int(),
    emi_paise: z.number().int(),
    tenure_months: z.number().int(),
    disbursed_at: z.string(),
    consumer: z.object({ id: z.number().int(), name: z.string() }),
    battery: z.object({ serial: z.string(), status: z.string() }),
    emi: z.object({
      paid: z.number().int(),
      overdue: z.number().int(),
      days_overdue: z.number().int(),
      owed_paise: z.number().int().openapi({ description: 'Overdue EMIs not paid plus their late fees' }),
      next_due: z.string().nullable(),
    }),
  })
  .openapi('FleetDeskLoan');

/**
 * Read-only paths for the operations console (issue 17): platform admins (with their second
 * factor), not fleet members, so the console's own sign-in reaches them.
 */
export const fleetAdminRoutes: SurfaceModule = (routes, deps) => {
  const desk = new FleetDeskService({ orm: deps.orm });
  routes.route({
    method: 'get',
    path: '/admin/summary',
    summary: 'What needs a person: loans overdue and batteries disabled, each with the oldest (platform admins)',
    tags: ['Admin'],
    auth: 'admin',
    roles: ['finance'],
    response: Summary,
    handler: () => desk.summary(),
  });
  routes.route({
    method: 'get',
    path: '/admin/loans',
    summary: 'Loans, newest first, with their EMI state (platform admins)',
    tags: ['Admin'],
    auth: 'admin',
    roles: ['finance'],
    query: PaginationQuery.extend({
      status: z.enum(FLEET_LOAN_STATES).optional(),
      overdue: QueryBool.optional().openapi({ description: 'Only loans with an instalment overdue' }),
    }),
    response: paginated(Loan),
    handler: ({ query }) => desk.loans({ status: query.status, overdue: query.overdue }, query),
  });
};
