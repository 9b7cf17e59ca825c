import { z } from 'zod';
import { QueryDate } from '../../http/query';
import { PAYMENT_MODES } from '../../../modules/ledger';
import { ISSUE_TYPES, PAYMENT_MODELS, RENTAL_PAYMENT_STATUSES, RENTAL_STATUSES } from '../../../modules/rentals';
import { PaginationQuery } from '../../http/pagination';

const Money = z.object({ amount: z.string(), amount_minor: z.number().int() });

export const RentalSchema = z
  .object({
    id: z.string(),
    status: z.enum(RENTAL_STATUSES),
    payment_status: z.enum(RENTAL_PAYMENT_STATUSES),
    payment_model: z.enum(PAYMENT_MODELS),
    payment_mode: z.enum(PAYMENT_MODES),
    station_sn: z.string(),
    slot: z.number().int().openapi({ description: 'The bay to take the power bank from' }),
    power_bank_sn: z.string(),
    package: z.object({ id: z.string(), name: z.string().nullable(), duration_minutes: z.number().int(), price: z.string(), price_minor: z.number().int() }),
    extensions: z.number().int(),
    started_at: z.string().nullable(),
    due_at: z.string().nullable(),
    returned_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    return_station_sn: z.string().nullable(),
    return_slot: z.number().int().nullable(),
    time_remaining_seconds: z.number().int().nullable(),
    overdue: z.boolean(),
    currency: z.string(),
    charges: z.object({
      paid: Money,
      usage: Money,
      fine: Money.openapi({ description: 'Accrued so far while overdue; charged at the return' }),
      lost: Money,
      due: Money,
    }),
    due_paid_at: z.string().nullable(),
    cancel_requested_at: z.string().nullable(),
    failure: z.object({ code: z.string(), reason: z.string().nullable() }).nullable(),
    created_at: z.string().nullable(),
  })
  .openapi('Rental');

export const StartBody = z
  .object({
    station_sn: z.string().trim().min(1).max(64).openapi({ description: 'Serial from the station QR code' }),
    package_id: z.uuid(),
    payment_model: z.enum(PAYMENT_MODELS),
    payment_mode: z.enum(PAYMENT_MODES).default('points_first'),
  })
  .openapi('StartRental');

export const RentalParams = z.object({ rental_id: z.uuid() });
export const IdParams = z.object({ id: z.uuid() });

export const ExtendBody = z.object({ package_id: z.uuid().openapi({ description: 'The package whose time (and price) is added' }) });

export const LocationBody = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  accuracy: z.number().min(0).max(100_000).optional().openapi({ description: 'Metres' }),
  recorded_at: z.coerce.date().optional(),
});

export const IssueBody = z.object({
  issue_type: z.enum(ISSUE_TYPES),
  description: z.string().trim().max(1000).optional(),
});

export const PayDueBody = z.object({
  scenario: z.literal('post_payment').default('post_payment').openapi({ description: 'Same body as /payment/calculate-options' }),
  payment_mode: z.enum(PAYMENT_MODES).default('points_first'),
  rental_id: z.string().optional().openapi({ description: 'Ignored: the rental is the path id' }),
  package_id: z.string().optional(),
  amount: z.union([z.string(), z.number()]).optional(),
});

export const HistoryQuery = PaginationQuery.extend({
  status: z.enum(RENTAL_STATUSES).optional(),
  payment_model: z.enum(PAYMENT_MODELS).optional(),
  payment_status: z.enum(RENTAL_PAYMENT_STATUSES).optional(),
  station_sn: z.string().max(64).optional().openapi({ description: 'Rented from or returned to this station' }),
  start_date: QueryDate.optional(),
  end_date: QueryDate.optional(),
});
