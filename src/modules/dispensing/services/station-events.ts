import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { logger } from '../../../kernel/logger';
import { executor } from '../../../kernel/sql';
import { dispenseOtpWorkflowId } from '../rules/references';
import { dispensedSignal } from '../workflows/definitions';

/**
 * A water station's `dispensed` event (`water/<stationId>/event`: `{type:'dispensed',
 * transactionReference, pulses, final}`), stamped with the station of the topic (never the body's),
 * as a signal to `dispense-otp:<reference>`; the workflow counts it only from the station the code is locked to.
 */
export async function handleDispensedEvent(stationId: string, event: Record<string, unknown>, deps: { orm: MikroORM; temporal: Client }): Promise<void> {
  const ref = typeof event.transactionReference === 'string' ? event.transactionReference : undefined;
  const pulses = Number(event.pulses);
  if (!ref || !Number.isFinite(pulses) || pulses < 0) return void logger.warn({ stationId, event }, 'malformed water dispensed event');
  await executor(deps.orm)(`update water_stations set last_seen_at = now() where station_id = ?`, [stationId]);
  await deps.temporal.workflow
    .getHandle(dispenseOtpWorkflowId(ref))
    .signal(dispensedSignal, {
      stationId,
      pulses,
      final: event.final === true,
      reason: typeof event.reason === 'string' ? event.reason.slice(0, 64) : undefined,
    })
    .catch((err) => {
      // Only a run that is gone is the end of it; Temporal away is thrown, so the bridge keeps the message and tries again.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      logger.warn({ ref, stationId }, 'water dispensed event for no running OTP');
    });
}

/** A water station's heartbeat: last seen and tank level. */
export async function recordWaterHeartbeat(orm: MikroORM, stationId: string, body: Record<string, unknown>): Promise<void> {
  const level = Number(body.tankLevelPercent);
  await executor(orm)(`update water_stations set last_seen_at = now(), tank_level_percent = coalesce(?, tank_level_percent) where station_id = ?`, [
    Number.isFinite(level) ? Math.max(0, Math.min(100, Math.round(level))) : null,
    stationId,
  ]);
}
