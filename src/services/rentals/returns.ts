import { WorkflowNotFoundError } from '@temporalio/client';
import type { BridgeDeps } from '../../integrations/mqtt/bridge';
import type { DeviceEvent } from '../../integrations/mqtt/topics';
import { logger } from '../../logger';
import type { ReturnOutcome } from '../../domain/rentals/power-bank-return.entity';
import { OPEN_STATUS_SQL } from '../../domain/rentals/status';
import { rentalWorkflowId, returnedSignal, type ReturnEvent } from '../../workflows/rental/definitions';
import { rentalInventory } from './inventory';

/** A re-sent event of a return that was already settled looks like this (same station, recently). */
const DUPLICATE_WINDOW_MINUTES = 30;

/**
 * The MQTT bridge's handler for a kiosk's `returned` event (any station): the power bank is put
 * back in the inventory, the open rental holding it gets the `returned` signal (its workflow
 * settles once however often this runs), and every event is recorded once per (station, event
 * id): matched, a duplicate of a settled return, or unmatched (no open rental) for admins.
 */
export async function handleReturnedEvent(sn: string, event: DeviceEvent, deps: BridgeDeps): Promise<void> {
  const powerBankSn = typeof event.powerBankSn === 'string' ? event.powerBankSn : '';
  if (!powerBankSn) return logger.warn({ sn, event }, 'returned event without a power bank serial');
  const slot = typeof event.slot === 'number' ? event.slot : null;
  const batteryLevel = typeof event.batteryLevel === 'number' ? event.batteryLevel : null;
  const eventId = typeof event.id === 'string' && event.id ? event.id : `${sn}:${slot}:${powerBankSn}:${String(event.ts ?? '')}`;
  const conn = deps.orm.em.getConnection();

  await rentalInventory(deps.orm).returned(sn, slot, powerBankSn, batteryLevel);

  let outcome: ReturnOutcome = 'unmatched';
  let rentalId: string | null = null;
  const [open] = await conn.execute(`select id from rentals where power_bank_sn = ? and status in (${OPEN_STATUS_SQL}) order by created_at desc limit 1`, [powerBankSn]);
  if (open) {
    const signal: ReturnEvent = { eventId, stationSn: sn, slot, powerBankSn, batteryLevel };
    try {
      await deps.temporal.workflow.getHandle(rentalWorkflowId(open.id)).signal(returnedSignal, signal);
      outcome = 'matched';
      rentalId = String(open.id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      logger.warn({ rentalId: open.id, powerBankSn }, 'open rental without a running workflow: return kept for admins');
    }
  } else {
    const [settled] = await conn.execute(
      `select id from rentals where power_bank_sn = ? and return_station_sn = ? and returned_at > now() - (? * interval '1 minute') order by returned_at desc limit 1`,
      [powerBankSn, sn, DUPLICATE_WINDOW_MINUTES]);
    if (settled) { outcome = 'duplicate'; rentalId = String(settled.id); }
  }
  await conn.execute(
    `insert into power_bank_returns (event_id, station_sn, slot_index, power_bank_sn, battery_level, rental_id, outcome, payload) values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (station_sn, event_id) do nothing`,
    [eventId.slice(0, 128), sn, slot, powerBankSn, batteryLevel, rentalId, outcome, JSON.stringify(event)]);
  if (outcome === 'unmatched') logger.warn({ sn, powerBankSn, eventId }, 'power bank returned with no open rental: recorded for admins');
}
