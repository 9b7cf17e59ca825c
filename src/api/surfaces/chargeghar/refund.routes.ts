import { z } from 'zod';
import { REFUND_STATUSES, RefundPayoutService, RefundService } from '../../../modules/payments';
import { notificationServiceFor } from './engagement-deps';
import type { ApiDeps } from '../../deps';
import { rateLimits } from '../../http/rate-limit';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { Pagination } from './money-schemas';

const Id = z.object({ id: z.string().uuid() });

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const refunds = new RefundService({ orm: deps.orm, temporal: deps.temporal, config: deps.config });
  const payouts = new RefundPayoutService({ orm: deps.orm, notifications: notificationServiceFor(deps) });
  return { refunds, payouts, requestLimits: rateLimits(deps, 'refund') };
}
type Ctx = ReturnType<typeof ctxOf>;

/** A customer's refund requests. */
function customerRefundRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { refunds, requestLimits }: Ctx) {
  routes.route({
    method: 'post',
    path: '/payment/refund/:transaction_id',
    summary: 'Requests a refund of a wallet transaction (or a top-up intent); an admin approves or rejects it',
    tags: ['Payment: Refunds'],
    auth: 'user',
    params: z.object({ transaction_id: z.string().uuid() }),
    body: z.object({ reason: z.string().trim().max(500).optional() }),
    limits: requestLimits,
    status: 201,
    errors: { 404: 'Unknown transaction', 409: 'Already refunded or a refund is pending' },
    handler: ({ params, body, user }) => refunds.request(user!.id, params.transaction_id, body.reason),
  });

  routes.route({
    method: 'get',
    path: '/payment/refunds',
    summary: "The user's refund requests, newest first",
    tags: ['Payment: Refunds'],
    auth: 'user',
    query: z.object({ status: z.enum(REFUND_STATUSES).optional(), ...Pagination }),
    handler: ({ query, user }) => refunds.list({ userId: user!.id, status: query.status, page: query.page, pageSize: query.page_size }),
  });
}

/** Admins list and decide refunds. */
function adminRefundRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { refunds }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/refunds',
    summary: 'All refund requests, oldest first; filter by status, by manual payout state and by user',
    tags: ['Admin: Refunds'],
    auth: 'admin',
    roles: ['finance'],
    query: z.object({
      status: z.enum(REFUND_STATUSES).optional(),
      payout: z.enum(['pending', 'paid']).optional(),
      user_id: z.uuid().optional(),
      ...Pagination,
    }),
    handler: ({ query }) =>
      refunds.list({ status: query.status, payoutStatus: query.payout, userId: query.user_id, page: query.page, pageSize: query.page_size }),
  });

  routes.route({
    method: 'get',
    path: '/admin/refunds/pending',
    summary: 'Refund requests waiting for a decision, oldest first',
    tags: ['Admin: Refunds'],
    auth: 'admin',
    roles: ['finance'],
    query: z.object({ ...Pagination }),
    handler: ({ query }) => refunds.list({ status: 'pending', page: query.page, pageSize: query.page_size }),
  });

  routes.route({
    method: 'post',
    path: '/admin/refunds/:id/approve',
    summary: 'Approves a refund: the ledger is reversed and the gateway refunds where it can (Stripe)',
    description: 'A money action: needs a fresh second factor (X-TOTP). An admin cannot approve their own refund (403 SELF_ACTION_FORBIDDEN).',
    tags: ['Admin: Refunds'],
    auth: 'admin-step-up',
    roles: ['finance'],
    params: Id,
    errors: { 404: 'Unknown refund', 409: 'REFUND_NOT_PENDING: already decided, also when another admin decided a moment earlier (details.decided_by)' },
    handler: ({ params, user }) => refunds.decide(params.id, user!.id, { approve: true }),
  });

  routes.route({
    method: 'post',
    path: '/admin/refunds/:id/reject',
    summary: 'Rejects a refund with a reason; nothing moves',
    tags: ['Admin: Refunds'],
    auth: 'admin',
    roles: ['finance'],
    params: Id,
    body: z.object({ reason: z.string().trim().min(3).max(500) }),
    errors: { 404: 'Unknown refund', 409: 'REFUND_NOT_PENDING: already decided, also when another admin decided a moment earlier (details.decided_by)' },
    handler: ({ params, body, user }) => refunds.decide(params.id, user!.id, { approve: false, reason: body.reason }),
  });
}

/** Finance records the manual payouts of refunds that have no gateway refund. */
function payoutRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { refunds, payouts }: Ctx) {
  routes.route({
    method: 'get',
    path: '/admin/refunds/payouts',
    summary: 'Approved refunds finance must pay back by hand (the gateway has no refund API, e.g. eSewa), oldest first',
    tags: ['Admin: Refunds'],
    auth: 'admin',
    roles: ['finance'],
    query: z.object({ status: z.enum(['pending', 'paid']).default('pending'), ...Pagination }),
    handler: ({ query }) => refunds.list({ payoutStatus: query.status, page: query.page, pageSize: query.page_size }),
  });

  routes.route({
    method: 'post',
    path: '/admin/refunds/:id/payout',
    summary: 'Records a manual payout with its bank or wallet reference (once) and tells the customer',
    description: 'A money action: needs a fresh second factor (X-TOTP). An admin cannot record the payout of their own refund (403 SELF_ACTION_FORBIDDEN).',
    tags: ['Admin: Refunds'],
    auth: 'admin-step-up',
    roles: ['finance'],
    params: Id,
    body: z.object({ reference: z.string().trim().min(3).max(128), note: z.string().trim().max(500).optional() }),
    errors: { 404: 'Unknown refund', 409: 'PAYOUT_ALREADY_RECORDED, or NO_PAYOUT_DUE (not approved, or refunded through the gateway or to the wallet)' },
    handler: ({ params, body, user }) => payouts.markPaid(params.id, user!.id, body),
  });
}

export const refundRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  customerRefundRoutes(routes, deps, ctx);
  adminRefundRoutes(routes, deps, ctx);
  payoutRoutes(routes, deps, ctx);
};
