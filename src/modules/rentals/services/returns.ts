import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DeviceEvent } from '../../../kernel/devices/protocol';
import { logger } from '../../../kernel/logger';
import { OPEN_STATUS_SQL } from '../rules/status';
import { rentalWorkflowId, returnedSignal, type ReturnEvent } from '../workflows/definitions';
import { recordReturn, type ReturnRecord } from './flagged-returns';
import { powerBankInventory } from '../../stations';

/**
 * The MQTT bridge's handler for a kiosk's `returned` event (any station): the power bank is put
 * back in the inventory, the open rental holding it gets the `returned` signal (its workflow
 * settles once however often this runs), and every event is recorded once per (station, event
 * id): matched, linked to the failed rental whose eject let it go, a duplicate of a settled
 * return, or unmatched (no rental) for admins (./flagged-returns.ts).
 */
export async function handleReturnedEvent(sn: string, event: DeviceEvent, deps: { orm: MikroORM; temporal: Client }): Promise<void> {
  const powerBankSn = typeof event.powerBankSn === 'string' ? event.powerBankSn : '';
  if (!powerBankSn) return logger.warn({ sn, event }, 'returned event without a power bank serial');
  const slot = typeof event.slot === 'number' ? event.slot : null;
  const batteryLevel = typeof event.batteryLevel === 'number' ? event.batteryLevel : null;
  const eventId = typeof event.id === 'string' && event.id ? event.id : `${sn}:${slot}:${powerBankSn}:${String(event.ts ?? '')}`;
  const conn = deps.orm.em.getConnection();
  const inventory = powerBankInventory(deps.orm);
  const record: ReturnRecord = { eventId, stationSn: sn, slot, powerBankSn, batteryLevel, payload: event };

  await inventory.returned(sn, slot, powerBankSn, batteryLevel);

  const [open] = await conn.execute(`select id from rentals where power_bank_sn = ? and status in (${OPEN_STATUS_SQL}) order by created_at desc limit 1`, [
    powerBankSn,
  ]);
  if (open) {
    const reportedAt = typeof event.ts === 'number' && Number.isFinite(event.ts) ? event.ts : null;
    const signal: ReturnEvent = { eventId, stationSn: sn, slot, powerBankSn, batteryLevel, reportedAt };
    let matched = true;
    try {
      await deps.temporal.workflow.getHandle(rentalWorkflowId(open.id)).signal(returnedSignal, signal);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      logger.warn({ rentalId: open.id, powerBankSn }, 'open rental without a running workflow: return kept for admins');
      matched = false;
    }
    await recordReturn(deps.orm, record, matched ? { outcome: 'matched', rentalId: String(open.id) } : { outcome: 'unmatched', rentalId: null });
    return;
  }
  const { outcome, rentalId } = await recordReturn(deps.orm, record);
  // The eject watch may have marked it out between the inventory step above and the lock: put it back.
  if (outcome === 'after_failure') await inventory.returned(sn, slot, powerBankSn, batteryLevel);
  if (outcome === 'unmatched') logger.warn({ sn, powerBankSn, eventId }, 'power bank returned with no open rental: recorded for admins');
  else if (outcome === 'after_failure')
    logger.warn({ sn, powerBankSn, rentalId }, 'power bank returned after a failed eject let it go: linked to that rental for admins');
}
