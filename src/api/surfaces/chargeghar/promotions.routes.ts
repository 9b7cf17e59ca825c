import { z } from 'zod';
import { Instant } from '../../http/query';
import { paginated, PaginationQuery } from '../../http/pagination';
import { createLedgerServices } from '../../../modules/ledger';
import { COUPON_CODE, CouponAdminService, CouponRedemptionService } from '../../../modules/promotions';
import type { SurfaceModule } from '../types';

const STATES = ['usable', 'inactive', 'not_started', 'expired', 'exhausted'] as const;
/** What the document states is what is checked: COUPON_CODE in either case, spaces around allowed (trimmed, upper-cased). */
const Code = z
  .string()
  .regex(new RegExp(`^ *${COUPON_CODE.source.slice(1, -1).replace(/A-Z/g, 'A-Za-z')} *$`), '3-32 letters, digits, - or _')
  .transform((c) => c.trim().toUpperCase());
// From 1970: a year-0021 start was stored, then every coupon list answered 500 (found by schemathesis).
const When = Instant.refine((s) => Date.parse(s) >= 0, 'must be 1970 or later');

const CouponFields = {
  title: z.string().trim().min(1).max(120),
  points: z.number().int().min(1).max(100_000),
  starts_at: When.nullable().optional(),
  expires_at: When,
  active: z.boolean().optional(),
  total_limit: z.number().int().min(1).max(10_000_000).nullable().optional().openapi({ description: 'Uses in all; null = unlimited' }),
  per_user_limit: z.number().int().min(1).max(100).optional().openapi({ description: 'Uses per user (default 1)' }),
};
const startsBeforeExpiry = (c: { starts_at?: string | null; expires_at?: string }) =>
  !c.starts_at || !c.expires_at || new Date(c.starts_at) < new Date(c.expires_at);

const CreateCoupon = z
  .object({ code: Code, ...CouponFields })
  .refine(startsBeforeExpiry, { message: 'starts_at must be before expires_at', path: ['starts_at'] })
  .openapi('CreateCoupon');
const UpdateCoupon = z
  .object({ ...CouponFields, expires_at: When.optional() })
  .partial()
  .refine(startsBeforeExpiry, { message: 'starts_at must be before expires_at', path: ['starts_at'] })
  .openapi('UpdateCoupon');

const AdminCoupon = z
  .object({
    id: z.string().uuid(),
    code: z.string(),
    title: z.string(),
    points: z.number().int(),
    starts_at: z.string().nullable(),
    expires_at: z.string(),
    active: z.boolean(),
    status: z.enum(STATES),
    total_limit: z.number().int().nullable(),
    per_user_limit: z.number().int(),
    usage: z.object({ used: z.number().int(), remaining: z.number().int().nullable(), users: z.number().int(), points_awarded: z.number().int() }),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('AdminCoupon');

const MyCoupon = z.object({
  redemption_id: z.string(),
  code: z.string(),
  title: z.string(),
  points_awarded: z.number().int(),
  redeemed_at: z.string(),
  coupon_status: z.enum(STATES),
  expires_at: z.string(),
});

export const promotionRoutes: SurfaceModule = (routes, deps) => {
  const redemptions = new CouponRedemptionService({ orm: deps.orm, points: createLedgerServices(deps.orm).points });

  routes.route({
    method: 'post',
    path: '/promotions/apply-coupon',
    summary: "Applies a coupon code: its points are added to the user's points (once per allowed use)",
    tags: ['Promotions'],
    auth: 'user',
    body: z.object({ coupon_code: z.string().trim().min(1).max(64) }).openapi('ApplyCoupon'),
    response: z.object({ redemption_id: z.string(), coupon_code: z.string(), points_awarded: z.number().int(), redeemed_at: z.string() }),
    errors: {
      404: 'Unknown code (COUPON_NOT_FOUND)',
      409: 'Used up (COUPON_EXHAUSTED), or this user used it as often as allowed (COUPON_ALREADY_USED)',
      410: 'Expired (COUPON_EXPIRED)',
      422: 'Switched off (COUPON_INACTIVE) or not valid yet (COUPON_NOT_STARTED)',
    },
    handler: ({ body, user }) => redemptions.apply(user!.id, body.coupon_code),
  });

  routes.route({
    method: 'get',
    path: '/promotions/my-coupons',
    summary: 'The coupons this user used, newest first, with their status now',
    tags: ['Promotions'],
    auth: 'user',
    query: PaginationQuery,
    response: paginated(MyCoupon),
    handler: ({ query, user }) => redemptions.mine(user!.id, query),
  });
};

export const adminCouponRoutes: SurfaceModule = (routes, deps) => {
  const admin = new CouponAdminService({ orm: deps.orm });

  routes.route({
    method: 'post',
    path: '/admin/promotions/coupons',
    summary: 'Issues a coupon (super admin only): code, points, validity, total and per-user limits',
    tags: ['Admin: Promotions'],
    auth: 'super_admin',
    body: CreateCoupon,
    response: AdminCoupon,
    status: 201,
    errors: { 409: 'The code is taken (COUPON_CODE_TAKEN)' },
    audit: { target: 'coupon' },
    handler: ({ body, user }) => admin.create(user!.id, body),
  });

  routes.route({
    method: 'get',
    path: '/admin/promotions/coupons',
    summary: 'Coupons with their usage statistics; filter by status, search by code or title',
    tags: ['Admin: Promotions'],
    auth: 'admin',
    query: PaginationQuery.extend({ status: z.enum(STATES).optional(), search: z.string().trim().min(1).max(64).optional() }),
    response: paginated(AdminCoupon),
    handler: ({ query }) => admin.list(query),
  });

  routes.route({
    method: 'put',
    path: '/admin/promotions/coupons/:id',
    summary: 'Changes a coupon (super admin only): title, points, validity, limits, or switches it off',
    tags: ['Admin: Promotions'],
    auth: 'super_admin',
    params: z.object({ id: z.string().uuid() }),
    body: UpdateCoupon,
    response: AdminCoupon,
    errors: { 404: 'Unknown coupon', 409: 'A total limit below the uses so far (COUPON_LIMIT_BELOW_USAGE)' },
    audit: { target: 'coupon', before: ({ params }) => admin.get(params.id) },
    handler: ({ params, body }) => admin.update(params.id, body),
  });
};
