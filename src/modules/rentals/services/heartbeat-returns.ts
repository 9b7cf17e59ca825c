import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../../../kernel/logger';
import { stationHoldings, type DockedReport } from '../../stations';
import { OUT_WITH_RIDER_SQL } from '../rules/status';
import { handleReturnedEvent } from './returns';

/**
 * A kiosk's heartbeat reporting a power bank in a bay while a rental holds it out means that
 * power bank came back and its `returned` event never arrived (mosquitto 2.0.11, restarted, drops
 * what a kiosk publishes before the bridges subscribe their `$share` group again: fault suite).
 * The return is settled from the heartbeat, once per rental (event id `heartbeat:<rental id>`),
 * through the same handler as a kiosk's own event, at the heartbeat's time. Only bays the
 * heartbeat wrote count: a report older than the eject (ejects stamp their bay) never does; and only
 * power banks the inventory still has out: one whose return event was handled (its signal perhaps
 * still on its way, a bridge killed before it) is left to that event.
 */
export async function settleReturnsSeenInHeartbeat(sn: string, docked: DockedReport[], deps: { orm: MikroORM; temporal: Client }): Promise<void> {
  if (!docked.length) return;
  const out = await stationHoldings(deps.orm).outWithRiders(docked.map((d) => d.powerBankSn));
  if (!out.size) return;
  const open = (await deps.orm.em
    .getConnection()
    .execute(`select id, power_bank_sn from rentals where power_bank_sn in (?) and status in (${OUT_WITH_RIDER_SQL})`, [[...out]])) as {
    id: string;
    power_bank_sn: string;
  }[];
  for (const rental of open) {
    const bay = docked.find((d) => d.powerBankSn === rental.power_bank_sn)!;
    logger.warn(
      { sn, rentalId: rental.id, powerBankSn: bay.powerBankSn, slot: bay.slot },
      'power bank reported docked while out with a rider: its return event was lost; settled from the heartbeat',
    );
    const event = { type: 'returned', id: `heartbeat:${rental.id}`, slot: bay.slot, powerBankSn: bay.powerBankSn, batteryLevel: bay.batteryLevel, ts: bay.ts };
    await handleReturnedEvent(sn, event, deps);
  }
}
