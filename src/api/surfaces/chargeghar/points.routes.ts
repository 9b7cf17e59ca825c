import { z } from 'zod';
import { createLedgerServices } from '../../../modules/ledger';
import { rateLimits } from '../../http/rate-limit';
import type { SurfaceModule } from '../types';
import { Pagination } from './money-schemas';

export const pointsRoutes: SurfaceModule = (routes, deps) => {
  const money = createLedgerServices(deps.orm);
  const referralLimits = rateLimits(deps, 'referral');

  routes.route({
    method: 'get',
    path: '/points/history',
    summary: 'Points earned and spent, newest first',
    tags: ['Points & Referral'],
    auth: 'user',
    query: z.object({ type: z.enum(['earned', 'spent']).optional(), ...Pagination }),
    handler: ({ query, user }) => money.points.history(user!.id, { page: query.page, pageSize: query.page_size, direction: query.type }),
  });

  routes.route({
    method: 'get',
    path: '/points/summary',
    summary: 'Current points, their NPR value, totals earned/spent by source, referral counts',
    tags: ['Points & Referral'],
    auth: 'user',
    handler: ({ user }) => money.points.summary(user!.id),
  });

  routes.route({
    method: 'get',
    path: '/referral/my-code',
    summary: "The user's own invite code (inviter_code)",
    tags: ['Points & Referral'],
    auth: 'user',
    handler: async ({ user }) => {
      const { code, created_at } = await money.referrals.myCode(user!.id);
      return { inviter_code: code, created_at };
    },
  });

  routes.route({
    method: 'get',
    path: '/referral/validate',
    summary: 'Whether an invite code is valid',
    tags: ['Points & Referral'],
    query: z.object({ code: z.string().trim().min(4).max(16) }),
    limits: referralLimits,
    handler: ({ query }) => money.referrals.validate(query.code),
  });

  routes.route({
    method: 'post',
    path: '/referral/claim',
    summary: "Applies an invite code; both sides get points after the invitee's first completed rental",
    tags: ['Points & Referral'],
    auth: 'user',
    body: z.object({ referral_code: z.string().trim().min(4).max(16) }),
    limits: referralLimits,
    errors: {
      400: 'Your own code (OWN_REFERRAL_CODE)',
      404: 'Unknown code',
      409: "A code was already applied (REFERRAL_ALREADY_CLAIMED), or the account is not eligible: it completed a rental already or invited the code's owner (REFERRAL_NOT_ELIGIBLE)",
    },
    handler: ({ body, user }) => money.referrals.claim(user!.id, body.referral_code),
  });
};
