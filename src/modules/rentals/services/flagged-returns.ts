import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReturnOutcome } from '../entities/power-bank-return.entity';
import { recordRentalEvent, type Run } from './timeline';
import { lockPowerBank } from '../../stations';
import { rentalStore } from './rental-store';

/** A re-sent event of a return that was already settled looks like this (same station, recently). */
const DUPLICATE_WINDOW_MINUTES = 30;

export interface ReturnRecord {
  eventId: string;
  stationSn: string;
  slot: number | null;
  powerBankSn: string;
  batteryLevel: number | null;
  payload: unknown;
  /** Why it was refused (outcome `refused`). */
  refusalReason?: string;
}

/**
 * Records a kiosk return once per (station, event id) with its outcome.
 *
 * A return that ended no open rental is, in this order: the power bank of a failed eject whose bay
 * let it go (`after_failure`, linked to that rental, which gets its return time and a timeline
 * step), a re-sent event of a return already settled (`duplicate`), or `unmatched`. That lookup
 * runs under the power bank's lock, like the eject watch flagging the rental
 * (../activities/eject-watch.activities.ts): whichever comes second sees the other.
 */
export async function recordReturn(
  orm: MikroORM,
  r: ReturnRecord,
  known?: { outcome: ReturnOutcome; rentalId: string | null },
): Promise<{ outcome: ReturnOutcome; rentalId: string | null }> {
  const conn = orm.em.getConnection();
  return conn.transactional(async (trx) => {
    const q: Run = (sql, params) => conn.execute(sql, params, 'all', trx);
    let result = known;
    if (!result) {
      await lockPowerBank(q, r.powerBankSn);
      result = await classify(q, r);
    }
    await q(
      `insert into power_bank_returns (event_id, station_sn, slot_index, power_bank_sn, battery_level, rental_id, outcome, refusal_reason, payload)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (station_sn, event_id) do nothing`,
      [
        r.eventId.slice(0, 128),
        r.stationSn,
        r.slot,
        r.powerBankSn.slice(0, 64),
        r.batteryLevel,
        result.rentalId,
        result.outcome,
        r.refusalReason?.slice(0, 200) ?? null,
        JSON.stringify(r.payload),
      ],
    );
    return result;
  });
}

async function classify(q: Run, r: ReturnRecord): Promise<{ outcome: ReturnOutcome; rentalId: string | null }> {
  const [flagged] = await q(
    `select id from rentals where power_bank_sn = ? and review_reason = 'ejected_after_failure' and returned_at is null order by created_at desc limit 1`,
    [r.powerBankSn],
  );
  if (flagged) {
    const rentalId = String(flagged.id);
    await rentalStore.returnedAfterFailure(q, rentalId, { stationSn: r.stationSn, slot: r.slot });
    await recordRentalEvent(q, {
      rentalId,
      type: 'returned_after_failure',
      key: 'returned-after-failure',
      at: Date.now(),
      data: { station_sn: r.stationSn, slot: r.slot, event_id: r.eventId },
    });
    return { outcome: 'after_failure', rentalId };
  }
  const [settled] = await q(
    `select id from rentals where power_bank_sn = ? and return_station_sn = ? and returned_at > now() - (? * interval '1 minute') order by returned_at desc limit 1`,
    [r.powerBankSn, r.stationSn, DUPLICATE_WINDOW_MINUTES],
  );
  return settled ? { outcome: 'duplicate', rentalId: String(settled.id) } : { outcome: 'unmatched', rentalId: null };
}
