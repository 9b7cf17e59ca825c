import { z } from 'zod';
import { Errors } from '../../../kernel/errors';
import { SINCE_EARLIEST_DAY } from '../../../kernel/period';
import type { SurfaceModule } from '../types';
import {
  AnalyticsDashboardSchema,
  AnalyticsRevenueSchema,
  AnalyticsStationsSchema,
  AnalyticsUsersSchema,
  type AnalyticsDays,
} from './schemas/analytics.schemas';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;

const Day = z.iso.date().regex(SINCE_EARLIEST_DAY, 'days start at 1970-01-01');
const PeriodQuery = z.object({
  from: Day.optional().openapi({ description: `First day (inclusive), YYYY-MM-DD in Asia/Kathmandu; default: ${DEFAULT_DAYS} days up to \`to\`` }),
  to: Day.optional().openapi({ description: 'Last day (inclusive), YYYY-MM-DD in Asia/Kathmandu; default: today' }),
});

const shiftDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** `from`..`to` with the defaults filled in; 400 when `from` is after `to` or the period is longer than a year. */
async function daysOf(query: { from?: string; to?: string }, today: () => Promise<string>): Promise<AnalyticsDays> {
  const to = query.to ?? (query.from ? shiftDays(query.from, DEFAULT_DAYS - 1) : await today());
  const from = query.from ?? shiftDays(to, -(DEFAULT_DAYS - 1));
  const length = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (length < 1) throw Errors.validation([{ field: 'query.from', message: 'must not be after to' }]);
  if (length > MAX_DAYS) throw Errors.validation([{ field: 'query.to', message: `the period may span at most ${MAX_DAYS} days` }]);
  return { from, to };
}

const ERRORS = { 400: 'from after to, a period longer than 366 days, or a malformed date' };

/** Admin analytics (seed 001): dashboard, revenue from the ledger, users, stations; days in Asia/Kathmandu. */
export const adminAnalyticsRoutes: SurfaceModule = (routes, deps) => {
  const a = deps.analytics;
  const days = (q: { from?: string; to?: string }) => daysOf(q, () => a.today());
  const common = {
    method: 'get' as const,
    tags: ['Admin: Analytics'],
    auth: 'admin' as const,
    roles: ['finance'] as const,
    query: PeriodQuery,
    errors: ERRORS,
  };

  routes.route({
    ...common,
    path: '/admin/analytics/dashboard',
    response: AnalyticsDashboardSchema,
    summary:
      'Key figures: users (total, new, active renters), rentals open now and in the period, revenue (ledger), top-ups, dues outstanding, stations online/offline',
    handler: async ({ query }) => a.dashboard(await days(query)),
  });

  routes.route({
    ...common,
    path: '/admin/analytics/revenue',
    response: AnalyticsRevenueSchema,
    summary: 'Revenue per day and month by source (rental charges, extensions, fines, minus refunds), from the ledger; equals the journal for the same days',
    handler: async ({ query }) => a.revenue(await days(query)),
  });

  routes.route({
    ...common,
    path: '/admin/analytics/users',
    response: AnalyticsUsersSchema,
    summary: 'User growth (sign-ups per day), active renters, retention against the period before, and the KYC funnel of the period’s sign-ups',
    handler: async ({ query }) => a.users(await days(query)),
  });

  routes.route({
    ...common,
    path: '/admin/analytics/stations',
    response: AnalyticsStationsSchema,
    summary: 'Per station: rentals, rental minutes, utilisation, availability %, offline minutes and failed ejects in the period',
    handler: async ({ query }) => a.stations(await days(query)),
  });
};
