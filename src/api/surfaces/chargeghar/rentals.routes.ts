import { z } from 'zod';
import { RETURN_OUTCOMES, RentalActionsService, RentalDuesService, RentalReadService, RentalStartService } from '../../../modules/rentals';
import { Errors } from '../../../kernel/errors';
import { paginated, PaginationMeta, PaginationQuery } from '../../http/pagination';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { ExtendBody, HistoryQuery, IdParams, IssueBody, LocationBody, PayDueBody, RentalParams, RentalSchema, StartBody } from './rental-schemas';
import { chargegharProfile } from './profile';

const tags = ['Rentals'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const { currency } = chargegharProfile(deps);
  const rentalDeps = { orm: deps.orm, temporal: deps.temporal, config: deps.config, currency };
  const starts = new RentalStartService(rentalDeps);
  const actions = new RentalActionsService(rentalDeps);
  const reads = new RentalReadService(rentalDeps);
  const dues = new RentalDuesService({ orm: deps.orm, currency, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
  return { currency, rentalDeps, starts, actions, reads, dues };
}
type Ctx = ReturnType<typeof ctxOf>;

/** Start a rental and read them. */
function rentalStartAndReadRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { starts, reads }: Ctx) {
  routes.route({
    method: 'post',
    path: '/rentals/start',
    tags,
    auth: 'user',
    body: StartBody,
    response: RentalSchema,
    status: 201,
    summary: 'Start a rental: checks prerequisites, takes the pre-payment, ejects a charged power bank and answers with its slot',
    description:
      'Pre-payment takes the package price (points first, then wallet, or as `payment_mode` says) before the ejection; post-payment takes nothing now. ' +
      'If the kiosk does not eject in time or refuses, anything taken is refunded and the rental ends as failed.',
    errors: {
      402: 'INSUFFICIENT_BALANCE (with shortfall) or OUTSTANDING_DUES',
      403: 'PROFILE_INCOMPLETE or KYC_NOT_APPROVED',
      404: 'Unknown station or package',
      409: 'RENTAL_ALREADY_ACTIVE, POWER_BANK_NOT_RETURNED (one was released to the user after a failed rental), STATION_OFFLINE, STATION_MAINTENANCE or NO_POWER_BANK_AVAILABLE',
      502: 'DEVICE_ERROR: the kiosk refused',
      504: 'DEVICE_TIMEOUT: no ack in time',
    },
    handler: ({ user, body }) =>
      starts.start(user!.id, { stationSn: body.station_sn, packageId: body.package_id, paymentModel: body.payment_model, paymentMode: body.payment_mode }),
  });

  routes.route({
    method: 'get',
    path: '/rentals/active',
    tags,
    auth: 'user',
    response: RentalSchema.nullable(),
    summary: 'The current rental (starting, active, overdue or cancelling), or null',
    handler: ({ user }) => reads.active(user!.id),
  });

  routes.route({
    method: 'get',
    path: '/rentals/history',
    tags,
    auth: 'user',
    query: HistoryQuery,
    response: paginated(RentalSchema, { estimatedTotal: true }),
    summary: 'Past and current rentals, newest first, filtered by status, payment model/status, station and date',
    handler: ({ user, query }) => reads.history(user!.id, query),
  });

  routes.route({
    method: 'get',
    path: '/rentals/:rental_id',
    tags,
    auth: 'user',
    params: RentalParams,
    response: RentalSchema.extend({ timeline: z.array(z.object({ type: z.string(), at: z.string(), data: z.unknown() })) }),
    summary: 'One rental with its timeline (ejected, time alert, overdue, returned ...)',
    errors: { 404: 'Not a rental of this user' },
    handler: async ({ user, params }) => (await reads.detail(user!.id, params.rental_id)) ?? Promise.reject(Errors.notFound('Rental')),
  });
}

/** Change a rental's term: extend it, or cancel it for free. */
function rentalTermRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { actions }: Ctx) {
  routes.route({
    method: 'post',
    path: '/rentals/:rental_id/extend',
    tags,
    auth: 'user',
    params: RentalParams,
    body: ExtendBody,
    response: z.object({
      rental: RentalSchema,
      extension: z.object({ package_id: z.string(), minutes: z.number().int(), charged_minor: z.number().int(), due_at: z.string() }),
    }),
    summary: "Add a package's time; pre-payment pays it now (send an Idempotency-Key header to make retries safe)",
    errors: { 402: 'INSUFFICIENT_BALANCE with the shortfall', 404: 'Not a rental of this user', 409: 'RENTAL_OVERDUE or RENTAL_NOT_ACTIVE' },
    handler: ({ user, params, body, req }) => actions.extend(user!.id, params.rental_id, body.package_id, req.header('idempotency-key')?.slice(0, 100)),
  });

  routes.route({
    method: 'post',
    path: '/rentals/:rental_id/cancel',
    tags,
    auth: 'user',
    params: RentalParams,
    response: z.object({ rental: RentalSchema, return_by: z.string().nullable(), message: z.string().optional() }),
    summary: 'Cancel for free: within the cancel window after the ejection, and the power bank back by `return_by`',
    description: `Rule: a cancel can be asked within RENTAL_CANCEL_WINDOW_MINUTES (default 5) of the ejection. The rental turns \`cancelling\`; if the power bank is back at any station within RENTAL_CANCEL_RETURN_MINUTES (default 10) of the request, the rental ends \`cancelled\`: pre-payment is refunded in full, post-payment owes nothing, no points. Otherwise the cancel lapses and the rental goes on (and is billed) as if it had not been asked.`,
    errors: { 404: 'Not a rental of this user', 409: 'CANCEL_WINDOW_PASSED or RENTAL_NOT_ACTIVE' },
    handler: ({ user, params }) => actions.cancel(user!.id, params.rental_id),
  });
}

/** What the user reports about the rented power bank: where it is, what is wrong with it. */
function rentalReportRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { actions }: Ctx) {
  routes.route({
    method: 'post',
    path: '/rentals/:rental_id/location',
    tags,
    auth: 'user',
    params: RentalParams,
    body: LocationBody,
    status: 201,
    response: z.object({
      id: z.string(),
      rental_id: z.string(),
      latitude: z.number(),
      longitude: z.number(),
      accuracy: z.number().nullable(),
      recorded_at: z.string(),
    }),
    summary: 'Store a GPS point of the rented power bank',
    errors: { 404: 'Not a rental of this user', 409: 'RENTAL_NOT_ACTIVE' },
    handler: ({ user, params, body }) => actions.addLocation(user!.id, params.rental_id, body),
  });

  routes.route({
    method: 'post',
    path: '/rentals/:rental_id/report-issue',
    tags,
    auth: 'user',
    params: RentalParams,
    body: IssueBody,
    status: 201,
    response: z.object({
      id: z.string(),
      rental_id: z.string(),
      issue_type: z.string(),
      description: z.string().nullable(),
      status: z.string(),
      power_bank_sn: z.string(),
      created_at: z.string(),
    }),
    summary: 'Report a problem with the rented power bank (damaged, not working, not charging, lost, other)',
    errors: { 404: 'Not a rental of this user', 409: 'RENTAL_NOT_STARTED' },
    handler: ({ user, params, body }) => actions.reportIssue(user!.id, params.rental_id, body),
  });
}

/** Pay a rental's due. */
function rentalDueRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { dues }: Ctx) {
  routes.route({
    method: 'post',
    path: '/rentals/:id/pay-due',
    tags: [...tags, 'Payment'],
    auth: 'user',
    params: IdParams,
    body: PayDueBody,
    response: z.object({
      rental_id: z.string(),
      payment_status: z.string(),
      due_cleared: z.boolean(),
      already_paid: z.boolean(),
      amount: z.string(),
      amount_minor: z.number().int(),
      points_used: z.number().int(),
      balances: z.object({ wallet: z.string(), wallet_minor: z.number().int(), points: z.number().int() }),
    }),
    summary: "Pay a rental's due (same body as /payment/calculate-options) and unblock new rentals",
    description:
      'A due is the part of a settlement points and wallet could not cover: the wallet went negative by it. A top-up fills that first; pay-due pays whatever is still negative with points (points_first / points_only) and clears the block.',
    errors: { 402: 'INSUFFICIENT_BALANCE: top up by the shortfall first', 404: 'Not a rental of this user', 409: 'NO_OUTSTANDING_DUE' },
    handler: ({ user, params, body }) => dues.payDue(user!.id, params.id, body.payment_mode),
  });
}

/** The admin log of kiosk returns. */
function adminReturnRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { reads }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/rentals/returns',
    tags: ['Admin: Rentals'],
    auth: 'admin',
    query: PaginationQuery.extend({ outcome: z.enum(RETURN_OUTCOMES).optional() }),
    response: z.object({
      results: z.array(
        z.object({
          id: z.string(),
          event_id: z.string(),
          station_sn: z.string(),
          slot: z.number().int().nullable(),
          power_bank_sn: z.string(),
          battery_level: z.number().int().nullable(),
          rental_id: z.string().nullable(),
          outcome: z.string(),
          refusal_reason: z.string().nullable().openapi({ description: 'Why a `refused` return cannot be true (it changed nothing)' }),
          received_at: z.string(),
        }),
      ),
      pagination: PaginationMeta,
    }),
    summary:
      'Kiosk return events; `outcome=unmatched` lists power banks returned with no rental, `after_failure` those back after a failed eject let them go (see /admin/rentals/review), `refused` those that cannot be true (another station holds the power bank, the bay holds another one): recorded, nothing changed',
    handler: ({ query }) => reads.returns(query),
  });
}

/** Seed 001 Rental Flow / Return Flow and pay-due. Each rental is a `rental:<id>` workflow. */
export const rentalRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  rentalStartAndReadRoutes(routes, deps, ctx);
  rentalTermRoutes(routes, deps, ctx);
  rentalReportRoutes(routes, deps, ctx);
  rentalDueRoutes(routes, deps, ctx);
  adminReturnRoutes(routes, deps, ctx);
};
