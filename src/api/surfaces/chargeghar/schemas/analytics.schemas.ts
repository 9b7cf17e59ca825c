import { z } from 'zod';
import '../../../http/openapi';

const Money = z.object({ amount: z.string(), amount_minor: z.number().int(), currency: z.string() }).openapi('AnalyticsMoney');
const Day = z.string().openapi({ example: '2026-12-01' });
const Period = z
  .object({ from: Day, to: Day, time_zone: z.string() })
  .openapi({ description: 'Whole days, both inclusive, in the time zone (Asia/Kathmandu)' });

const RevenueBreakdown = z.object({
  rental_charges: Money.openapi({ description: 'Usage, pre-paid packages and lost power banks (revenue account, excluding extensions)' }),
  extensions: Money,
  fines: Money,
  refunds: Money.openapi({ description: 'Everything that left the revenue and fines accounts (refunds, compensations); subtracted' }),
  net: Money.openapi({ description: 'rental_charges + extensions + fines − refunds: the movement of the revenue and fines accounts in the journal' }),
});

export const AnalyticsDashboardSchema = z
  .object({
    period: Period,
    users: z.object({
      total: z.number().int(),
      new_in_period: z.number().int(),
      active_in_period: z.number().int().openapi({ description: 'Distinct renters' }),
    }),
    rentals: z.object({ open_now: z.number().int(), in_period: z.number().int(), failed_ejects: z.number().int() }),
    revenue: RevenueBreakdown,
    topups: z.object({ count: z.number().int(), total: Money }),
    dues_outstanding: z.object({ total: Money, users: z.number().int() }),
    stations: z.object({ total: z.number().int(), online: z.number().int(), offline: z.number().int(), maintenance: z.number().int() }),
  })
  .openapi('AnalyticsDashboard');

export const AnalyticsRevenueSchema = z
  .object({
    period: Period,
    totals: RevenueBreakdown,
    daily: z.array(RevenueBreakdown.extend({ day: Day })),
    monthly: z.array(RevenueBreakdown.extend({ month: z.string().openapi({ example: '2026-12' }) })),
  })
  .openapi('AnalyticsRevenue');

const Count = z.number().int();
export const AnalyticsUsersSchema = z
  .object({
    period: Period,
    growth: z.object({
      total: Count,
      at_period_start: Count,
      new_in_period: Count,
      growth_percent: z.number().nullable(),
      new_by_day: z.array(z.object({ day: Day, count: Count })),
    }),
    accounts: z.object({ active: Count, inactive: Count }),
    engagement: z.object({
      active_renters: Count,
      rentals: Count,
      renters_by_day: z.array(z.object({ day: Day, rentals: Count, renters: Count })),
    }),
    retention: z
      .object({ previous_period_renters: Count, returned_this_period: Count, rate_percent: z.number().nullable() })
      .openapi({ description: 'Of the renters of the equally long period before, how many rented again in this one' }),
    kyc_funnel: z.object({ registered: Count, profile_complete: Count, kyc_submitted: Count, kyc_approved: Count }),
  })
  .openapi('AnalyticsUsers');

export const AnalyticsStationsSchema = z
  .object({
    period: Period,
    summary: z.object({ total: Count, online: Count, offline: Count, maintenance: Count, rentals: Count, failed_ejects: Count }),
    stations: z.array(
      z.object({
        id: z.string(),
        serial_number: z.string(),
        name: z.string(),
        online: z.boolean(),
        maintenance: z.boolean(),
        slot_count: Count,
        power_banks_in: Count,
        rentals: Count,
        rental_minutes: Count,
        utilisation_percent: z.number().openapi({ description: 'Rental minutes / (slots × minutes of the period)' }),
        availability_percent: z.number().openapi({ description: 'Share of the period (up to now) the station was online' }),
        offline_minutes: Count,
        failed_ejects: Count,
      }),
    ),
  })
  .openapi('AnalyticsStations');

export type AnalyticsDashboard = z.infer<typeof AnalyticsDashboardSchema>;
export type AnalyticsRevenue = z.infer<typeof AnalyticsRevenueSchema>;
export type AnalyticsUsers = z.infer<typeof AnalyticsUsersSchema>;
export type AnalyticsStations = z.infer<typeof AnalyticsStationsSchema>;

/** Days (inclusive) in the product's time zone, as the routes validated them. */
export interface AnalyticsDays {
  from: string;
  to: string;
}

/** The admin analytics, each module counting what it owns; composed by src/workers/compose/admin-analytics.ts. */
export interface AdminAnalyticsReader {
  dashboard(days: AnalyticsDays): Promise<AnalyticsDashboard>;
  revenue(days: AnalyticsDays): Promise<AnalyticsRevenue>;
  users(days: AnalyticsDays): Promise<AnalyticsUsers>;
  stations(days: AnalyticsDays): Promise<AnalyticsStations>;
  /** Today in the product's time zone (the default end of a period). */
  today(): Promise<string>;
}
