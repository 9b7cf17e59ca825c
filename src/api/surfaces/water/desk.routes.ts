import { z } from 'zod';
import { OTP_STATUSES, PAYMENT_STATUSES, WaterDeskService } from '../../../modules/dispensing';
import { paginated, PaginationQuery } from '../../http/pagination';
import { DeskWaiting } from '../desk';
import type { SurfaceModule } from '../types';

const Summary = z.object({ otps_blocked: DeskWaiting }).openapi('WaterDeskSummary');
const Transaction = z
  .object({
    transaction_reference: z.string(),
    method: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    phone_number: z.string().nullable().openapi({ description: 'Masked' }),
    amount_minor: z.number().int(),
    currency: z.string(),
    liters: z.number().int(),
    receipt_number: z.string().nullable(),
    created_at: z.string(),
    otp: z
      .object({
        status: z.enum(OTP_STATUSES),
        attempts: z.number().int(),
        max_attempts: z.number().int(),
        station_id: z.string().nullable(),
        pulses: z.number().int(),
        pulses_delivered: z.number().int(),
        issue: z.number().int(),
        updated_at: z.string(),
      })
      .nullable(),
  })
  .openapi('WaterDeskTransaction');

/** Read-only paths for the operations console (issue 17): platform admins with their second factor. */
export const waterDeskRoutes: SurfaceModule = (routes, deps) => {
  const desk = new WaterDeskService({ orm: deps.orm });
  routes.route({
    method: 'get',
    path: '/admin/summary',
    summary: 'What needs a person: OTPs blocked after wrong codes, with the oldest (platform admins)',
    tags: ['Admin'],
    auth: 'admin',
    roles: ['finance'],
    response: Summary,
    handler: () => desk.summary(),
  });
  routes.route({
    method: 'get',
    path: '/admin/transactions',
    summary: 'Water transactions, newest first, with their OTP (platform admins; phones masked)',
    tags: ['Admin'],
    auth: 'admin',
    roles: ['finance'],
    query: PaginationQuery.extend({ status: z.enum(PAYMENT_STATUSES).optional(), otp_status: z.enum(OTP_STATUSES).optional() }),
    response: paginated(Transaction),
    handler: ({ query }) => desk.transactions({ status: query.status, otp_status: query.otp_status }, query),
  });
};
