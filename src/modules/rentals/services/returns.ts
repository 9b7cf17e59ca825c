import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DeviceEvent } from '../../../kernel/devices/protocol';
import { logger } from '../../../kernel/logger';
import { OPEN_STATUS_SQL } from '../rules/status';
import { rentalWorkflowId, returnedSignal, type ReturnEvent } from '../workflows/definitions';
import { recordReturn, type ReturnRecord } from './flagged-returns';
import { kioskTime, powerBankInventory, stationHoldings } from '../../stations';

/**
 * The MQTT bridge's handler for a kiosk's `returned` event (any station). One that cannot be true
 * (stations' returnRefusal: an unknown bay, a bay the kiosk says holds another power bank, a power
 * bank another station holds) is recorded as `refused` and changes nothing. Otherwise the power bank is put
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
  // Seen before (a broker's redelivery after a restart, a bridge that handled it but died before its
  // ack): changes nothing. Run again later, an old return would put a power bank that is out with its
  // next rider back in its bay and end that rider's rental.
  const [seen] = await conn.execute(`select 1 from power_bank_returns where station_sn = ? and event_id = ?`, [sn, eventId.slice(0, 128)]);
  if (seen) return logger.info({ sn, powerBankSn, eventId }, 'returned event handled before: ignored');
  const inventory = powerBankInventory(deps.orm);
  const record: ReturnRecord = { eventId, stationSn: sn, slot, powerBankSn, batteryLevel, payload: event };

  // Bound to the station that sent it: a return that cannot be true is kept for admins and changes nothing.
  const openRentalOf = async (sn: string) =>
    (await conn.execute(`select id from rentals where power_bank_sn = ? and status in (${OPEN_STATUS_SQL}) order by created_at desc limit 1`, [sn]))[0];
  // A bay's power bank that an open rental holds is leaving it (its eject acked, the ack not yet recorded).
  const refusal = await stationHoldings(deps.orm).returnRefusal(sn, slot, powerBankSn, async (docked) => Boolean(await openRentalOf(docked)));
  const openRental = () => openRentalOf(powerBankSn);
  if (refusal) {
    const open = await openRental();
    logger.warn({ sn, powerBankSn, slot, eventId, refusal, rentalId: open?.id ?? null }, 'returned event refused: recorded for admins');
    await recordReturn(deps.orm, { ...record, refusalReason: refusal }, { outcome: 'refused', rentalId: open ? String(open.id) : null });
    return;
  }
  const kioskTs = kioskTime(event.ts);
  await inventory.returned(sn, slot, powerBankSn, batteryLevel, kioskTs);

  const open = await openRental();
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
  if (outcome === 'after_failure') await inventory.returned(sn, slot, powerBankSn, batteryLevel, kioskTs);
  if (outcome === 'unmatched') logger.warn({ sn, powerBankSn, eventId }, 'power bank returned with no open rental: recorded for admins');
  else if (outcome === 'after_failure')
    logger.warn({ sn, powerBankSn, rentalId }, 'power bank returned after a failed eject let it go: linked to that rental for admins');
}
