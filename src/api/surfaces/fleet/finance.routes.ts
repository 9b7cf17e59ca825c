import { z } from 'zod';
import { ConsumerService, FinanceService, LoanApplicationService } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

export const Application = z
  .object({
    id: z.number().int(),
    consumer_id: z.number().int(),
    battery_id: z.number().int(),
    dealer_id: z.string().uuid(),
    amount: z.number().openapi({ description: 'Rupees' }),
    tenure_months: z.number().int(),
    status: z.enum(['submitted', 'sent_to_nbfc', 'approved', 'rejected', 'disbursed', 'expired']),
    nbfc_reference: z.string().nullable(),
    approved_amount: z.number().nullable(),
    interest_rate: z.number().nullable(),
    decided_by: z.enum(['nbfc', 'finance']).nullable(),
    created_at: z.string(),
  })
  .openapi('LoanApplication');
export const ApplicationBody = z
  .object({
    consumer_id: z.number().int().positive(),
    battery_id: z.number().int().positive(),
    amount: z.number().positive().max(10_000_000).multipleOf(0.01).openapi({ description: 'Rupees', example: 45000, multipleOf: 0.01 }),
    tenure_months: z.number().int().min(1).max(60),
  })
  .openapi('LoanApplicationRequest');
// zod-to-openapi leaves multipleOf out of the document: stated in each schema's metadata too.
const ApprovedAmount = z.number().positive().multipleOf(0.01).openapi({ multipleOf: 0.01 });
const InterestRate = z.number().min(0).max(60).multipleOf(0.01).openapi({ multipleOf: 0.01 });
/** An approval carries its amount and rate (documented as required there, not checked by hand after); a rejection may not. */
const ApproveBody = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('approved'), approved_amount: ApprovedAmount, interest_rate: InterestRate, reason: z.string().max(255).optional() }),
    z.object({
      status: z.literal('rejected'),
      approved_amount: ApprovedAmount.optional(),
      interest_rate: InterestRate.optional(),
      reason: z.string().max(255).optional(),
    }),
  ])
  .openapi('ApproveApplication');

/** Finance: applications (each a `loan-application:<id>` workflow), finance's decision, overdue EMIs, bulk auto-disable. */
export const fleetFinanceRoutes: SurfaceModule = (routes, deps) => {
  const consumers = new ConsumerService({ orm: deps.orm });
  const applications = new LoanApplicationService({ orm: deps.orm, temporal: deps.temporal, config: deps.config });
  const finance = new FinanceService({ orm: deps.orm, temporal: deps.temporal, consumers });
  routes.route({
    method: 'post',
    path: '/finance/applications',
    summary: 'Submit a loan application (sent to the NBFC by its workflow)',
    tags: ['Finance'],
    auth: 'user',
    status: 201,
    body: ApplicationBody,
    response: Application,
    errors: { 404: 'Consumer or battery not found', 409: 'APPLICATION_OPEN / KYC_NOT_VERIFIED (the consumer’s KYC is not verified yet)' },
    handler: async ({ user, body }) => applications.submit(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'put',
    path: '/finance/applications/:id/approve',
    summary: 'Finance decides an application (admins); the first decision wins',
    tags: ['Finance'],
    auth: 'user',
    params: z.object({ id: z.coerce.number().int().positive() }),
    body: ApproveBody,
    response: Application,
    errors: { 403: 'FORBIDDEN (not an admin)', 404: 'Application not found', 409: 'ALREADY_DECIDED (by the NBFC or finance)' },
    handler: async ({ user, params, body }) => applications.approve(await callerOf(deps, user), params.id, body),
  });
  routes.route({
    method: 'get',
    path: '/finance/overdue',
    summary: 'Overdue EMIs with consumer details',
    tags: ['Finance'],
    auth: 'user',
    handler: async ({ user }) => finance.overdue(await callerOf(deps, user)),
  });
  routes.route({
    method: 'post',
    path: '/finance/auto-disable',
    summary: 'Disable the batteries of loans overdue at least this many days (admins)',
    tags: ['Finance'],
    auth: 'user',
    body: z.object({ overdue_days_threshold: z.number().int().min(1).max(365) }),
    errors: { 403: 'FORBIDDEN (not an admin)' },
    handler: async ({ user, body }) => finance.autoDisable(await callerOf(deps, user), body.overdue_days_threshold),
  });
  routes.route({
    method: 'get',
    path: '/consumers/:id/finance',
    summary: 'A consumer’s applications, loans and EMI schedules (paid/due/overdue)',
    tags: ['Consumers'],
    auth: 'user',
    params: z.object({ id: z.coerce.number().int().positive() }),
    errors: { 404: 'Consumer not found' },
    handler: async ({ user, params }) => finance.consumerFinance(await callerOf(deps, user), params.id),
  });
};
