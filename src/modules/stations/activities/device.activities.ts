import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { BrokerUnreachableError, type DeviceBus } from '../../../kernel/devices/device-bus';
import type { CommandOutcome, DeviceCommandActivities, DeviceCommandMessage, DeviceKind } from '../../../kernel/devices/protocol';

export type { CommandOutcome };
import { DeviceCommand } from '../entities';
import { deviceCommandOutcomes } from '../../../kernel/observability/metrics';

export interface DeviceActivityDeps {
  orm: MikroORM;
  bus: DeviceBus;
}

/** Side effects of talking to hardware. Each is idempotent: the command id is the key. */
export function createDeviceActivities({ orm, bus }: DeviceActivityDeps): DeviceCommandActivities {
  return {
    /**
     * Records the command (once) and publishes it at QoS 1; devices ignore a repeated id. A broker
     * that is away gets `waitMs` to come back; after that the command fails for good, and the
     * workflow compensates at once instead of retrying for seconds.
     */
    async publishDeviceCommand(input: { kind: DeviceKind; sn: string; command: DeviceCommandMessage; requestedBy?: string; waitMs?: number }): Promise<void> {
      const em = orm.em.fork();
      await em
        .getConnection()
        .execute(
          `insert into device_commands (id, station_sn, type, payload, status, requested_by) values (?, ?, ?, ?, 'sent', ?) on conflict (id) do nothing`,
          [input.command.id, input.sn, input.command.type, JSON.stringify(input.command), input.requestedBy ?? null],
        );
      try {
        await bus.publishCommand(input.kind, input.sn, input.command, input.waitMs ?? 0);
      } catch (err) {
        if (err instanceof BrokerUnreachableError) throw ApplicationFailure.nonRetryable(`publish to ${input.sn}: ${err.message}`, 'BrokerUnreachable');
        throw ApplicationFailure.retryable(`publish to ${input.sn} failed: ${(err as Error).message}`, 'MqttPublishFailed');
      }
    },

    async recordCommandOutcome(input: { commandId: string; outcome: CommandOutcome }): Promise<void> {
      const em = orm.em.fork();
      await em.nativeUpdate(
        DeviceCommand,
        { id: input.commandId },
        {
          status: input.outcome.status,
          error: input.outcome.error ?? null,
          completedAt: new Date(),
        },
      );
      // Counted where the workflow reports it (a retried report may count twice): acked, failed or timeout.
      deviceCommandOutcomes.inc({ status: input.outcome.status });
    },
  };
}

export type DeviceActivities = ReturnType<typeof createDeviceActivities>;
