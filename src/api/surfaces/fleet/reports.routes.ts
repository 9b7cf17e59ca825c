import { z } from 'zod';
import { surfaceProfile } from '../../../config';
import { SINCE_EARLIEST_DAY } from '../../../kernel/period';
import { createMessaging } from '../../../modules/identity';
import { FleetMessagingService, FleetReportService } from '../../../modules/loans';
import { ipRateLimit, userRateLimit } from '../../http/rate-limit';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

/** Messages one admin may send per hour (each of send-sms and send-otp counts). */
export const MESSAGES_PER_ADMIN_HOUR = 20;

const Day = z.iso.date().regex(SINCE_EARLIEST_DAY, 'days start at 1970-01-01').openapi({ description: 'YYYY-MM-DD, from 1970-01-01' });
const Phone = z.string().regex(/^\+91[6-9]\d{9}$/, 'must be +91 and 10 digits');
const Collected = z.object({ amount: z.number(), amount_paise: z.number().int(), payments: z.number().int() });
const CollectionReport = z
  .object({
    start_date: z.string(),
    end_date: z.string(),
    daily_collections: z.array(
      z.object({
        date: z.string(),
        collected: z.number(),
        collected_paise: z.number().int(),
        payments: z.number().int(),
        emi_paise: z.number().int(),
        prepayment_paise: z.number().int(),
        foreclosure_paise: z.number().int(),
      }),
    ),
    collections: z.object({ emi: Collected, prepayment: Collected, foreclosure: Collected }),
    total_collected: z.number(),
    total_collected_paise: z.number().int(),
    late_fees_charged: z.number(),
    late_fees_charged_paise: z.number().int(),
    total_due: z.number(),
    total_due_paise: z.number().int(),
    collection_efficiency: z.number().nullable().openapi({ description: 'EMI collections / EMIs due in the period, %; null when nothing was due' }),
    collection_efficiency_incl_prepayments: z.number().nullable().openapi({ description: 'All collections (EMIs, prepayments, foreclosures) / EMIs due, %' }),
    overdue_analysis: z.array(z.object({ days_overdue: z.string(), instalments: z.number().int(), amount: z.number() })),
  })
  .openapi('FleetCollectionReport');

/** NBFC portfolio, analytics (from the ledger), and admin messaging. */
export const fleetReportRoutes: SurfaceModule = (routes, deps) => {
  const { brand, currency } = surfaceProfile(deps.config, 'fleet');
  const reports = new FleetReportService({ orm: deps.orm, currency });
  const messaging = new FleetMessagingService({ orm: deps.orm, messaging: createMessaging(deps.config), brand });
  // Per client IP and per admin: one admin cannot spend the office's whole allowance, nor many addresses one admin's.
  const message = 'Too many messages; try again later';
  const limit = [
    ipRateLimit(deps.orm, { name: 'fleet-messaging', limit: 30, windowSeconds: 3600, message }),
    userRateLimit(deps.orm, { name: 'fleet-messaging', limit: MESSAGES_PER_ADMIN_HOUR, windowSeconds: 3600, message }),
  ];
  routes.route({
    method: 'get',
    path: '/nbfc/portfolio',
    summary: 'Application counts, disbursement trend, portfolio health (admins)',
    tags: ['NBFC'],
    auth: 'user',
    handler: async ({ user }) => reports.portfolio(await callerOf(deps, user)),
  });
  routes.route({
    method: 'get',
    path: '/analytics/dealer-dashboard',
    summary: 'Consumer counts, battery metrics, finance summary, service metrics (a dealer’s own; admins all)',
    tags: ['Analytics'],
    auth: 'user',
    handler: async ({ user }) => reports.dealerDashboard(await callerOf(deps, user)),
  });
  routes.route({
    method: 'get',
    path: '/analytics/collection-report',
    summary: 'Daily collections from the ledger (EMIs, prepayments, foreclosures), late fees charged, overdue analysis, collection efficiency (admins)',
    tags: ['Analytics'],
    auth: 'user',
    query: z.object({ start_date: Day, end_date: Day }),
    response: CollectionReport,
    handler: async ({ user, query }) => reports.collectionReport(await callerOf(deps, user), query.start_date, query.end_date),
  });
  routes.route({
    method: 'post',
    path: '/messaging/send-sms',
    summary: 'Send an SMS (admins; rate-limited; logged)',
    tags: ['Messaging'],
    auth: 'user',
    limits: limit,
    body: z.object({ to: Phone, message: z.string().trim().min(1).max(480) }),
    errors: { 502: 'SMS_FAILED' },
    handler: async ({ user, body }) => messaging.sendSms(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'post',
    path: '/messaging/send-otp',
    summary: 'Send an OTP by SMS (admins; rate-limited; logged without the code)',
    tags: ['Messaging'],
    auth: 'user',
    limits: limit,
    body: z.object({ to: Phone, otp: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') }),
    errors: { 502: 'SMS_FAILED' },
    handler: async ({ user, body }) => messaging.sendOtp(await callerOf(deps, user), body),
  });
};
