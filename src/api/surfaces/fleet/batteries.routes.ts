import { z } from 'zod';
import { BatteryService } from '../../../modules/loans';
import type { SurfaceModule } from '../types';
import { callerOf } from './caller';

const Status = z.enum(['active', 'inactive', 'maintenance']);
export const Battery = z
  .object({
    id: z.number().int(),
    serial_number: z.string(),
    status: Status,
    pending_action: Status.nullable().openapi({ description: 'A command sent but not yet acked by the battery (offline)' }),
    health_score: z.number().int(),
    owner_id: z.number().int().nullable().openapi({ description: 'The consumer it is assigned to' }),
    dealer_id: z.string().uuid().nullable(),
    soc: z.number().nullable().openapi({ description: 'State of charge, % (last heartbeat)' }),
    temperature_c: z.number().nullable(),
    location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    online: z.boolean(),
    last_seen: z.string().nullable(),
  })
  .openapi('Battery');
const Serial = z.object({ serial: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -') });
const CreateBody = z
  .object({
    serial_number: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -'),
    health_score: z.number().int().min(0).max(100).default(100),
    dealer_id: z.string().uuid().optional().openapi({ description: 'Admins only' }),
  })
  .openapi('CreateBattery');
const Control = z
  .object({ serial_number: z.string(), action: Status, status: z.enum(['applied', 'pending']), battery: Battery })
  .openapi('BatteryControlResult');

function testRoutes(routes: Parameters<SurfaceModule>[0], batteries: BatteryService, deps: Parameters<SurfaceModule>[1]) {
  routes.route({
    method: 'get',
    path: '/batteries/test',
    summary: 'Test path: the batteries route answers (not served in production)',
    tags: ['Testing'],
    auth: 'user',
    handler: async ({ user }) => ({ message: 'Batteries route OK', batteries: (await batteries.list(await callerOf(deps, user))).length }),
  });
  routes.route({
    method: 'post',
    path: '/batteries/:serial/test-status',
    summary: 'Test path: set a status in the database without the battery (not served in production)',
    tags: ['Testing'],
    auth: 'user',
    params: Serial,
    body: z.object({ status: Status }),
    response: Battery,
    handler: async ({ user, params, body }) => batteries.testStatus(await callerOf(deps, user), params.serial, body.status),
  });
}

/** Batteries: registry, assignment, remote control over MQTT, fleet health. */
export const fleetBatteryRoutes: SurfaceModule = (routes, deps) => {
  const batteries = new BatteryService({
    orm: deps.orm,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    ackTimeoutMs: deps.config.DEVICE_ACK_TIMEOUT_MS,
  });
  if (deps.config.NODE_ENV !== 'production') testRoutes(routes, batteries, deps);
  routes.route({
    method: 'get',
    path: '/batteries',
    summary: 'List batteries (a dealer’s own; admins and technicians all)',
    tags: ['Batteries'],
    auth: 'user',
    response: z.array(Battery),
    handler: async ({ user }) => batteries.list(await callerOf(deps, user)),
  });
  routes.route({
    method: 'post',
    path: '/batteries',
    summary: 'Register a battery',
    tags: ['Batteries'],
    auth: 'user',
    status: 201,
    body: CreateBody,
    response: Battery,
    errors: { 403: 'FORBIDDEN', 409: 'BATTERY_EXISTS' },
    handler: async ({ user, body }) => batteries.create(await callerOf(deps, user), body),
  });
  routes.route({
    method: 'get',
    path: '/batteries/health-report',
    summary: 'Fleet health from the batteries’ telemetry',
    tags: ['Batteries'],
    auth: 'user',
    handler: async ({ user }) => batteries.healthReport(await callerOf(deps, user)),
  });
  controlRoutes(routes, batteries, deps);
};

function controlRoutes(routes: Parameters<SurfaceModule>[0], batteries: BatteryService, deps: Parameters<SurfaceModule>[1]) {
  routes.route({
    method: 'post',
    path: '/batteries/:serial/control',
    summary: 'Set a battery’s status over MQTT (changes on the battery’s ack)',
    description:
      '`applied`: the battery acked within the ack timeout and the row changed. `pending`: no ack (offline); it gets the command when it reconnects.',
    tags: ['Batteries'],
    auth: 'user',
    params: Serial,
    body: z.object({ action: Status }),
    response: Control,
    errors: {
      202: { description: 'Pending: no ack yet (the battery is offline or silent); it gets the command when it reconnects', schema: Control },
      404: 'Battery not found',
    },
    handler: async ({ user, params, body, res }) => {
      const result = await batteries.control(await callerOf(deps, user), params.serial, body.action);
      if (result.status !== 'pending') return result;
      res.status(202).json(result);
      return undefined;
    },
  });
  routes.route({
    method: 'put',
    path: '/batteries/:serial/assign',
    summary: 'Assign a battery to a consumer',
    tags: ['Batteries'],
    auth: 'user',
    params: Serial,
    body: z.object({ consumer_id: z.number().int().positive() }),
    response: Battery,
    errors: { 404: 'Battery or consumer not found', 409: 'DEALER_MISMATCH' },
    handler: async ({ user, params, body }) => batteries.assign(await callerOf(deps, user), params.serial, body.consumer_id),
  });
}
