import { z } from 'zod';
import { paginated, PaginationQuery } from '../../http/pagination';
import type { SurfaceModule } from '../types';

const Fields = {
  imei: z.string().trim().min(4).max(64).nullable().optional().openapi({ description: 'Hardware id (Alibaba IoT DeviceName)' }),
  qr_code: z.string().trim().min(1).max(64).nullable().optional().openapi({ description: 'Human-readable id, e.g. "0023 SN: 40000444"' }),
  name: z.string().trim().min(1).max(160),
  address: z.string().trim().max(255).nullable().optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  slot_count: z.number().int().min(1).max(64),
};
const CreateStation = z
  .object({
    sn: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,64}$/, '3-64 letters, digits, - or _'),
    ...Fields,
  })
  .openapi('CreateStation');
const UpdateStation = z
  .object(Fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('UpdateStation', { minProperties: 1 });

const AdminStation = z
  .object({
    id: z.string(),
    sn: z.string(),
    imei: z.string().nullable(),
    qr_code: z.string().nullable(),
    name: z.string(),
    address: z.string().nullable(),
    latitude: z.number(),
    longitude: z.number(),
    status: z.enum(['online', 'offline', 'maintenance']),
    online: z.boolean(),
    maintenance: z.boolean(),
    last_seen_at: z.string().nullable(),
    slot_count: z.number().int(),
    total_slots: z.number().int(),
    available_power_banks: z.number().int(),
    empty_slots: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('AdminStation');

/** Seed 001 Admin › Station Management: the station registry (remote commands and maintenance are in admin-stations.routes.ts). */
export const adminStationRegistryRoutes: SurfaceModule = (routes, deps) => {
  const stations = deps.stationAdmin;

  routes.route({
    method: 'get',
    path: '/admin/stations',
    summary: 'Stations (paginated) with bay counts; filter by status (online, offline, maintenance), search name, address or serial',
    tags: ['Admin: Stations'],
    auth: 'admin',
    query: PaginationQuery.extend({ status: z.enum(['online', 'offline', 'maintenance']).optional(), search: z.string().trim().min(1).max(100).optional() }),
    response: paginated(AdminStation, { estimatedTotal: true }),
    handler: ({ query }) => stations.list(query),
  });

  routes.route({
    method: 'post',
    path: '/admin/stations',
    summary: 'Registers a station and its empty bays; it shows in the app at once and goes online when its kiosk connects',
    tags: ['Admin: Stations'],
    auth: 'admin',
    body: CreateStation,
    response: AdminStation,
    status: 201,
    errors: { 409: 'Another station has this serial, IMEI or QR code (STATION_EXISTS)' },
    audit: { target: 'station' },
    handler: ({ body }) => stations.create(body),
  });

  routes.route({
    method: 'put',
    path: '/admin/stations/:id',
    summary: "Changes a station's name, address, location, IMEI, QR code or bay count",
    description: 'Fewer bays removes the highest ones; refused with 409 SLOT_IN_USE when one of them holds a power bank or an open rental started from it.',
    tags: ['Admin: Stations'],
    auth: 'admin',
    params: z.object({ id: z.string().uuid() }),
    body: UpdateStation,
    response: AdminStation,
    errors: { 404: 'Unknown station', 409: 'A removed bay is in use (SLOT_IN_USE), or another station has this IMEI or QR code (STATION_EXISTS)' },
    audit: { target: 'station' },
    handler: async ({ params, body, res }) => {
      const { before, after } = await stations.update(params.id, body);
      res.locals.auditBefore = before;
      return after;
    },
  });
};
