import { z } from 'zod';
import { STATION_ISSUE_STATUSES, STATION_ISSUE_TYPES } from '../../../../modules/stations';
import { PaginationQuery, QueryBool } from '../../../http/pagination';

export const StationSummarySchema = z
  .object({
    sn: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    latitude: z.number(),
    longitude: z.number(),
    status: z.enum(['online', 'offline', 'maintenance']),
    online: z.boolean(),
    maintenance: z.boolean(),
    last_seen_at: z.string().nullable(),
    total_slots: z.number().int(),
    available_power_banks: z.number().int().openapi({ description: 'Docked power banks charged enough to rent' }),
    empty_slots: z.number().int().openapi({ description: 'Free bays to return a power bank to' }),
    distance_m: z.number().int().optional().openapi({ description: 'Metres from the search point (nearby only)' }),
  })
  .openapi('StationSummary');

export const StationDetailSchema = StationSummarySchema.extend({
  slots: z.array(
    z.object({
      index: z.number().int(),
      status: z.enum(['occupied', 'empty', 'faulty']),
      has_power_bank: z.boolean(),
      battery_level: z.number().int().nullable(),
      rentable: z.boolean(),
      updated_at: z.string(),
    }),
  ),
  min_rentable_battery: z.number().int(),
}).openapi('StationDetail');

export const StationFilterQuery = PaginationQuery.extend({
  status: z.enum(['online', 'offline', 'maintenance']).optional(),
  has_available: QueryBool.optional().openapi({ description: 'Only stations with (true) or without (false) a rentable power bank' }),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Name, address or serial contains' }),
});

export const NearbyQuerySchema = StationFilterQuery.extend({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  radius: z.coerce.number().min(1).max(50_000).default(5000).openapi({ description: 'Metres (1 to 50000, default 5000)' }),
});

export const IssueReportSchema = z
  .object({
    id: z.string(),
    type: z.enum(STATION_ISSUE_TYPES),
    description: z.string().nullable(),
    image_urls: z.array(z.string()),
    status: z.enum(STATION_ISSUE_STATUSES),
    resolution_note: z.string().nullable(),
    resolved_at: z.string().nullable(),
    created_at: z.string(),
    station: z.object({ sn: z.string(), name: z.string() }),
    reported_by_me: z.boolean().optional(),
  })
  .openapi('StationIssueReport');

export const ReportBody = z
  .object({
    type: z.enum(STATION_ISSUE_TYPES),
    description: z.string().trim().min(1).max(1000).nullable().optional().openapi({ description: 'Required for type other' }),
    image_urls: z.array(z.string().max(1024)).max(5).optional().openapi({ description: 'Up to 5 image URLs returned by /app/upload' }),
  })
  .strict()
  .refine((b) => b.type !== 'other' || !!b.description, { message: 'Describe the issue when the type is other', path: ['description'] })
  .openapi('StationIssueReportInput');

export const IssueQuery = PaginationQuery.extend({ status: z.enum(STATION_ISSUE_STATUSES).optional(), type: z.enum(STATION_ISSUE_TYPES).optional() });
export const SnParams = z.object({ sn: z.string().min(1).max(64) });
