import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Counter } from 'prom-client';
import { logger } from '../../../kernel/logger';
import { metricsRegistry } from '../../../kernel/observability/metrics';
import { executor } from '../../../kernel/sql';
import { AuditLogService } from '../../audit';
import { batteryControlWorkflowId, batteryOnlineSignal, type BatteryAction } from '../workflows/definitions';
import { resendBatteryStatus } from './battery-commands';

const STATUSES: readonly string[] = ['active', 'inactive', 'maintenance'] satisfies BatteryAction[];

const statusResent = new Counter({
  name: 'stationflow_fleet_battery_status_resent_total',
  help: 'Batteries sent their commanded status again because a heartbeat reported another (a reset or tampered battery), by the status re-sent',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

/** What the bridge needs to command batteries (reconcile): the worker's task queue, the ack timeout, how often a battery may be re-sent its status. */
export interface BatteryReconcileOptions {
  taskQueue: string;
  ackTimeoutMs: number;
  resendAfterSeconds: number;
}

const num = (v: unknown, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null);

/**
 * Sends a battery whose heartbeat reported `reported` its row's status again: claims the re-send
 * (one bridge of several, once per interval), starts a `battery-control` run unless one is under
 * way, then counts, logs and audits it.
 */
function statusReconciler(orm: MikroORM, temporal: Client, reconcile: BatteryReconcileOptions) {
  const exec = executor(orm);
  const audit = new AuditLogService({ orm });
  return async (serial: string, reported: string): Promise<void> => {
    // Claims the re-send for this battery (one bridge of several, once per interval).
    const [claimed] = await exec(
      `update fleet_batteries set status_resent_at = now() where serial_number = ? and status <> ? and pending_action is null
          and (status_resent_at is null or status_resent_at < now() - make_interval(secs => ?)) returning status`,
      [serial, reported, reconcile.resendAfterSeconds],
    );
    if (!claimed) return;
    const action = claimed.status as BatteryAction;
    const reason = `reconcile: battery reported ${reported}, commanded ${action}`;
    const deps = { temporal, taskQueue: reconcile.taskQueue, ackTimeoutMs: reconcile.ackTimeoutMs };
    const started = await resendBatteryStatus(deps, { serial, action, reason }).catch(async (err) => {
      // Temporal away: give the claim back, so the bridge's retry of this heartbeat may send it.
      await exec(`update fleet_batteries set status_resent_at = null where serial_number = ?`, [serial]);
      throw err;
    });
    if (!started) return;
    statusResent.inc({ status: action });
    logger.warn({ serial, reported, commanded: action }, 'battery reports another status than commanded: sent it again');
    await audit.recordAdminAction({
      actorId: null,
      actorRole: 'system',
      action: 'fleet.battery.status_resent',
      targetType: 'battery',
      targetId: serial,
      status: 202,
      before: { status: reported },
      after: { status: action },
      details: { reason },
    });
  };
}

/**
 * What the MQTT bridge does with a battery's `status` and `heartbeat` (`battery/<serial>/...`):
 * presence and telemetry (SoC, health score, temperature, GPS) on its row; a battery that comes
 * back online with a command pending gets it again (`batteryOnline` to `battery-control:<serial>`).
 * A heartbeat whose `status` is not the row's (the status last commanded and acked), with no command
 * pending, means the battery was reset or tampered with: it is sent the row's status again (a new
 * `battery-control` run, none being under way), at most once per `resendAfterSeconds` per battery,
 * logged, counted and written to the audit log (actor role `system`).
 */
export function batteryPresence(orm: MikroORM, temporal: Client, reconcile?: BatteryReconcileOptions) {
  const exec = executor(orm);
  const resend = reconcile ? statusReconciler(orm, temporal, reconcile) : async () => undefined;
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
          where serial_number = ? returning status, pending_action, (select online from fleet_batteries where serial_number = ?) as was_online`,
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
      const reported = typeof body.status === 'string' && STATUSES.includes(body.status) ? body.status : undefined;
      if (channel === 'heartbeat' && row && reported && reported !== row.status && !row.pending_action) await resend(serial, reported);
    },
  };
}
