import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { Station } from '../entities';
import type { CommandOutcome } from '../../../kernel/devices/protocol';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { stationCommandWorkflowId, type StationCommandInput, type StationCommandWorkflow } from '../workflows/definitions';

export const REMOTE_COMMANDS = ['reboot', 'eject', 'lock', 'unlock'] as const;
export type RemoteCommand = (typeof REMOTE_COMMANDS)[number];

/** The command's publish failed because the broker stayed away (the workflow's root cause). */
function brokerUnreachable(err: unknown): boolean {
  for (let e = err as { cause?: unknown; type?: string } | undefined; e; e = e.cause as typeof e) if (e.type === 'BrokerUnreachable') return true;
  return false;
}

export class StationCommandService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; taskQueue: string; ackTimeoutMs: number }) {}

  async findStation(sn: string): Promise<Station> {
    const station = await this.deps.orm.em.fork().findOne(Station, { sn });
    if (!station) throw Errors.notFound(`Station ${sn}`);
    return station;
  }

  /** Runs one `station-command:<sn>:<uuid>` workflow and returns the device's answer. */
  async send(
    sn: string,
    type: RemoteCommand,
    args: Record<string, unknown>,
    requestedBy: string,
    timeoutMs?: number,
  ): Promise<CommandOutcome & { command_id: string }> {
    const station = await this.findStation(sn);
    if (!station.online) throw new AppError('STATION_OFFLINE', `Station ${sn} is offline`, 409);
    const workflowId = stationCommandWorkflowId(sn, randomUUID());
    const input: StationCommandInput = { kind: 'kiosk', sn, type, args, timeoutMs: timeoutMs ?? this.deps.ackTimeoutMs, requestedBy };
    const outcome = await this.deps.temporal.workflow
      .execute<StationCommandWorkflow>('stationCommandWorkflow', {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [input],
        typedSearchAttributes: startAttributes({ stationSn: sn, userId: requestedBy, status: 'sent' }),
      })
      .catch((err: unknown) => {
        throw brokerUnreachable(err)
          ? new AppError('BROKER_UNAVAILABLE', 'The device network cannot be reached right now; try again', 503, { command_id: `${workflowId}#1` })
          : err;
      });
    const result = { ...outcome, command_id: `${workflowId}#1` };
    if (outcome.status === 'timeout') throw new AppError('DEVICE_TIMEOUT', `Station ${sn} did not acknowledge "${type}" in time`, 504, result);
    if (outcome.status === 'failed') throw new AppError('DEVICE_ERROR', `Station ${sn} refused "${type}": ${outcome.error}`, 502, result);
    return result;
  }

  async setMaintenance(sn: string, maintenance?: boolean): Promise<Station> {
    const em = this.deps.orm.em.fork();
    const station = await em.findOne(Station, { sn });
    if (!station) throw Errors.notFound(`Station ${sn}`);
    station.maintenance = maintenance ?? !station.maintenance;
    await em.flush();
    return station;
  }
}
