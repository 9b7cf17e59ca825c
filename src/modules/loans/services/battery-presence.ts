import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { logger } from '../../../kernel/logger';
import { executor } from '../../../kernel/sql';
import { batteryControlWorkflowId, batteryOnlineSignal } from '../workflows/definitions';

const num = (v: unknown, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null);

/**
 * What the MQTT bridge does with a battery's `status` and `heartbeat` (`battery/<serial>/...`):
 * presence and telemetry (SoC, health score, temperature, GPS) on its row; a battery that comes
 * back online with a command pending gets it again (`batteryOnline` to `battery-control:<serial>`).
 */
export function batteryPresence(orm: MikroORM, temporal: Client) {
  const exec = executor(orm);
  const wake = async (serial: string, pending: unknown) => {
    if (!pending) return;
    await temporal.workflow
      .getHandle(batteryControlWorkflowId(serial))
      .signal(batteryOnlineSignal)
      .catch((err) => {
        // Temporal away is thrown: the bridge keeps the message and tries again.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        logger.info({ serial }, 'no battery command waiting');
      });
  };
  return {
    async handle(serial: string, channel: string, body: Record<string, unknown>): Promise<void> {
      if (channel === 'status') {
        const online = body.online === true;
        const [row] = await exec(`update fleet_batteries set online = ?, last_seen_at = now() where serial_number = ? returning pending_action`, [
          online,
          serial,
        ]);
        if (online) await wake(serial, row?.pending_action);
        return;
      }
      if (channel !== 'heartbeat' && channel !== 'event') return;
      const gps = (body.gps ?? {}) as Record<string, unknown>;
      const [row] = await exec(
        `update fleet_batteries set online = true, last_seen_at = now(), soc = coalesce(?, soc), health_score = coalesce(?, health_score),
                temperature_c = coalesce(?, temperature_c), lat = coalesce(?, lat), lng = coalesce(?, lng)
          where serial_number = ? returning pending_action, (select online from fleet_batteries where serial_number = ?) as was_online`,
        [
          num(body.soc, 0, 100),
          num(body.health_score, 0, 100),
          num(body.temperature, -40, 120),
          num(gps.lat, -90, 90),
          num(gps.lng, -180, 180),
          serial,
          serial,
        ],
      );
      if (row && row.was_online === false) await wake(serial, row.pending_action);
    },
  };
}
