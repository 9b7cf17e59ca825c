import { z } from 'zod';
import { REMOTE_COMMANDS, StationCommandService } from '../../../modules/stations';
import type { SurfaceModule } from '../types';

const SnParams = z.object({ sn: z.string().min(1).max(64) });

const RemoteCommandBody = z
  .discriminatedUnion('command', [
    z.object({ command: z.literal('reboot') }),
    z.object({ command: z.literal('lock') }),
    z.object({ command: z.literal('unlock') }),
    z.object({ command: z.literal('eject'), slot: z.number().int().min(1).max(64) }),
  ])
  .openapi('RemoteCommand', { description: `One of ${REMOTE_COMMANDS.join(', ')}; eject needs a slot.` });

const CommandResult = z.object({
  command_id: z.string(),
  status: z.enum(['acked', 'failed', 'timeout']),
  ack: z.record(z.string(), z.unknown()).optional(),
});

const MaintenanceBody = z.object({
  maintenance: z.boolean().optional().openapi({ description: 'Omit to toggle' }),
  reason: z.string().max(255).optional(),
});

export const adminStationRoutes: SurfaceModule = (routes, deps) => {
  const service = new StationCommandService({
    orm: deps.orm,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    ackTimeoutMs: deps.config.DEVICE_ACK_TIMEOUT_MS,
  });

  routes.route({
    method: 'post',
    path: '/admin/stations/:sn/remote-command',
    summary: 'Send a remote command to a station over MQTT and wait for its ack',
    tags: ['Admin: Stations'],
    auth: 'admin',
    params: SnParams,
    body: RemoteCommandBody,
    response: CommandResult,
    errors: {
      404: 'Unknown station',
      409: 'Station offline',
      502: 'Device refused (DEVICE_ERROR)',
      503: 'The device network (MQTT broker) cannot be reached (BROKER_UNAVAILABLE)',
      504: 'No ack in time (DEVICE_TIMEOUT)',
    },
    handler: ({ params, body, user }) => {
      const { command, ...args } = body;
      return service.send(params.sn, command, args, user!.id);
    },
  });

  routes.route({
    method: 'post',
    path: '/admin/stations/:sn/maintenance',
    summary: 'Toggle (or set) maintenance mode; a station in maintenance takes no rentals',
    tags: ['Admin: Stations'],
    auth: 'admin',
    params: SnParams,
    body: MaintenanceBody,
    response: z.object({ sn: z.string(), maintenance: z.boolean() }),
    errors: { 404: 'Unknown station' },
    handler: async ({ params, body }) => {
      const station = await service.setMaintenance(params.sn, body.maintenance);
      return { sn: station.sn, maintenance: station.maintenance };
    },
  });
};
