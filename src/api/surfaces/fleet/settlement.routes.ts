import { z } from 'zod';
import { surfaceProfile } from '../../../config';
import { createMessaging } from '../../../modules/identity';
import { LoanSettlementService } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

const LoanId = z.object({ id: z.coerce.number().int().positive() });
const Quote = z
  .object({
    loan_id: z.number().int(),
    as_of: z.string().openapi({ description: 'India date the quote is made on (it holds for that day)' }),
    outstanding_principal_paise: z.number().int(),
    dues_paise: z.number().int().openapi({ description: 'Recognised interest and late fees not yet paid' }),
    accrued_interest_paise: z.number().int().openapi({ description: 'Outstanding principal × rate × days / 365 since accrued_since, half-up' }),
    accrued_days: z.number().int(),
    accrued_since: z.string(),
    foreclosure_fee_paise: z.number().int().openapi({ description: 'FLEET_FORECLOSURE_FEE_BPS of the outstanding principal, half-up' }),
    total_paise: z.number().int(),
    total: z.number().openapi({ description: 'Rupees' }),
  })
  .openapi('ForeclosureQuote');
const Link = z.object({
  settlement_id: z.number().int(),
  loan_id: z.number().int(),
  kind: z.enum(['prepayment', 'foreclosure']),
  amount_paise: z.number().int(),
  payment_link: z.object({ id: z.string(), short_url: z.string() }),
});

/** Prepayment and foreclosure: the quote, and a Razorpay payment link whose webhook applies it (a dealer's own loans; admins any). */
export const fleetSettlementRoutes: SurfaceModule = (routes, deps) => {
  const { currency } = surfaceProfile(deps.config, 'fleet');
  const settlements = new LoanSettlementService({ orm: deps.orm, config: deps.config, messaging: createMessaging(deps.config), currency });
  routes.route({
    method: 'get',
    path: '/finance/loans/:id/foreclosure-quote',
    summary: 'What closing the loan today costs: outstanding principal + dues + accrued interest + foreclosure fee, in paise',
    tags: ['Finance'],
    auth: 'user',
    params: LoanId,
    response: Quote,
    errors: { 404: 'Loan not found (or another dealer’s)', 409: 'LOAN_CLOSED' },
    handler: async ({ user, params }) => settlements.quote(await callerOf(deps, user), params.id),
  });
  routes.route({
    method: 'post',
    path: '/finance/loans/:id/prepayment',
    summary: 'A part-prepayment link sent to the consumer; paid, it reduces the principal (same tenure, smaller EMI)',
    tags: ['Finance'],
    auth: 'user',
    status: 201,
    params: LoanId,
    body: z.object({ amount: z.number().min(1).multipleOf(0.01).openapi({ description: 'Rupees', example: 20000, multipleOf: 0.01 }) }),
    response: Link,
    errors: {
      404: 'Loan not found',
      409: 'LOAN_CLOSED / DUES_PENDING / PREPAYMENT_TOO_LARGE (not less than the outstanding principal: use a foreclosure)',
      502: 'GATEWAY_ERROR',
    },
    handler: async ({ user, params, body }) => settlements.prepay(await callerOf(deps, user), params.id, Math.round(body.amount * 100)),
  });
  routes.route({
    method: 'post',
    path: '/finance/loans/:id/foreclosure',
    summary: 'A foreclosure link for today’s quote sent to the consumer; paid, the loan is closed and the battery stays enabled',
    tags: ['Finance'],
    auth: 'user',
    status: 201,
    params: LoanId,
    response: Link.extend({ quote: Quote }),
    errors: { 404: 'Loan not found', 409: 'LOAN_CLOSED', 502: 'GATEWAY_ERROR' },
    handler: async ({ user, params }) => settlements.foreclose(await callerOf(deps, user), params.id),
  });
};
