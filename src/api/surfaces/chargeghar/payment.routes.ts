import { z } from 'zod';
import { QueryDate } from '../../http/query';
import { LedgerService, PAYMENT_MODES } from '../../../modules/ledger';
import { parseLimits, paymentMethods, TransactionsService, TRANSACTION_STATUSES, TRANSACTION_TYPES } from '../../../modules/payments';
import { listRentalPackages, PaymentOptionsService, RentalDuesService } from '../../../modules/rentals';
import type { SurfaceModule } from '../types';
import { MoneyInput, Pagination } from './money-schemas';
import { EstimatedPaginationMeta } from '../../http/pagination';
import { chargegharProfile } from './profile';

const CalculateBody = z
  .object({
    scenario: z.enum(['wallet_topup', 'pre_payment', 'post_payment']),
    package_id: z.string().uuid().optional(),
    rental_id: z.uuid().optional(),
    amount: MoneyInput.optional(),
    payment_mode: z.enum(PAYMENT_MODES).default('points_first'),
  })
  .openapi('CalculateOptions', { description: 'One of `package_id`, `amount` or `rental_id` is required (400 otherwise).' });

const TransactionsQuery = z.object({
  type: z.enum(TRANSACTION_TYPES).optional(),
  status: z.enum(TRANSACTION_STATUSES).optional(),
  start_date: QueryDate.optional(),
  end_date: QueryDate.optional(),
  ...Pagination,
});

const Transaction = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(TRANSACTION_STATUSES),
  amount: z.string(),
  amount_minor: z.number(),
  currency: z.string(),
  direction: z.enum(['credit', 'debit']),
  description: z.string().nullable(),
  gateway: z.string().nullable(),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
});

export const paymentRoutes: SurfaceModule = (routes, deps) => {
  const { currency } = chargegharProfile(deps);
  const options = new PaymentOptionsService(new LedgerService(deps.orm), new RentalDuesService({ orm: deps.orm, currency }), currency);
  const transactions = new TransactionsService(deps.orm, currency);
  const minTopup = () => Math.min(...Object.values(parseLimits(deps.config.PAYMENT_LIMITS)).map((l) => l.minMinor));

  routes.route({
    method: 'get',
    path: '/payment/packages',
    summary: 'Rental packages with prices and payment model',
    tags: ['Payment'],
    handler: () => listRentalPackages(deps.orm),
  });

  routes.route({
    method: 'get',
    path: '/payment/methods',
    summary: 'Payment gateways (Khalti, eSewa, Stripe) with min/max top-up limits and whether each is enabled',
    tags: ['Payment'],
    handler: () => paymentMethods(deps.config.PAYMENT_METHODS_ENABLED, deps.config.PAYMENT_LIMITS, currency),
  });

  routes.route({
    method: 'post',
    path: '/payment/calculate-options',
    summary: 'Sufficiency, shortfall and points-first-then-wallet breakdown for a top-up, pre-payment or post-payment',
    tags: ['Payment'],
    auth: 'user',
    body: CalculateBody,
    errors: { 404: 'Unknown package or rental' },
    handler: ({ body, user }) =>
      options.calculate({
        userId: user!.id,
        scenario: body.scenario,
        paymentMode: body.payment_mode,
        packageId: body.package_id,
        rentalId: body.rental_id,
        amountMinor: body.amount,
        minTopupMinor: minTopup(),
      }),
  });

  routes.route({
    method: 'get',
    path: '/user/transactions',
    summary: 'Wallet transactions (top-ups, rentals, fines, refunds) filtered by type, status and date, paginated',
    tags: ['Payment'],
    auth: 'user',
    query: TransactionsQuery,
    response: z.object({ results: z.array(Transaction), pagination: EstimatedPaginationMeta }),
    handler: ({ query, user }) =>
      transactions.list(user!.id, {
        type: query.type,
        status: query.status,
        from: query.start_date,
        to: query.end_date,
        page: query.page,
        pageSize: query.page_size,
      }),
  });
};
