import type { MikroORM } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';

/** Raw SQL runner (inside a transaction or not). */
export type Run = Execute;

/**
 * Serialises what concerns one power bank across transactions (a return event and the eject
 * watch deciding where it is): a transaction-scoped advisory lock, released at commit.
 */
export async function lockPowerBank(q: Execute, powerBankSn: string): Promise<void> {
  await q(`select pg_advisory_xact_lock(hashtext(?))`, [`power-bank:${powerBankSn}`]);
}

/**
 * Where power banks are: the slot rows (what kiosks report) and the power_banks rows (status and
 * location). Every step of a rental moves both, idempotently.
 */
export function powerBankInventory(orm: MikroORM) {
  const conn = () => orm.em.getConnection();
  return {
    /**
     * Out of its slot and rented, `rentalId` holding it. Also what a failed eject whose bay let the
     * power bank go leads to (the rentals module's eject watch): out, with that rental's user.
     */
    async ejected(q: Execute, stationSn: string, slot: number, powerBankSn: string, rentalId: string | null = null): Promise<void> {
      // Stamped now (the ack is here, so the latch opened before): a kiosk report built before the
      // eject and delivered after it (QoS 1 redelivery after a broker restart, with the eject's own
      // slot event lost) leaves the bay empty instead of putting the power bank back in it.
      await q(
        `update slots set power_bank_sn = null, battery_level = null, status = 'empty', reported_ts = greatest(reported_ts, now()), updated_at = now()
               where station_id = (select id from stations where sn = ?) and index = ? and (power_bank_sn = ? or power_bank_sn is null)`,
        [stationSn, slot, powerBankSn],
      );
      await q(
        `insert into power_banks (id, sn, status, station_id, slot_index, last_rental_id) values (gen_random_uuid(), ?, 'rented', null, null, ?)
               on conflict (sn) do update set status = 'rented', station_id = null, slot_index = null,
                 last_rental_id = coalesce(excluded.last_rental_id, power_banks.last_rental_id), updated_at = now()`,
        [powerBankSn, rentalId],
      );
    },

    /**
     * Into a bay of any station: available there (a lost one is found again). `reportedTs`, the
     * kiosk's time of the return, keeps an older report of the bay (delivered late) from undoing it.
     */
    async returned(stationSn: string, slot: number | null, powerBankSn: string, batteryLevel: number | null, reportedTs: Date | null = null): Promise<void> {
      await conn().transactional(async (trx) => {
        const q: Execute = (sql, params) => conn().execute(sql, params, 'run', trx);
        // The bay it left (its slot event not applied yet) is empty from the return's time on: an older report cannot refill it.
        await q(
          `update slots set power_bank_sn = null, battery_level = null, status = 'empty', reported_ts = greatest(reported_ts, coalesce(?::timestamptz, now())), updated_at = now()
                 where power_bank_sn = ? and not (station_id = (select id from stations where sn = ?) and index = ?)`,
          [reportedTs, powerBankSn, stationSn, slot ?? -1],
        );
        if (slot !== null) {
          await q(
            `update slots set power_bank_sn = ?, battery_level = ?, status = 'occupied', reported_at = now(),
                     reported_ts = greatest(reported_ts, ?::timestamptz), updated_at = now()
                   where station_id = (select id from stations where sn = ?) and index = ?`,
            [powerBankSn, batteryLevel, reportedTs, stationSn, slot],
          );
        }
        await q(
          `insert into power_banks (id, sn, status, battery_level, station_id, slot_index)
                 select gen_random_uuid(), ?, 'available', coalesce(?, 100), id, ? from stations where sn = ?
                 on conflict (sn) do update set status = 'available', battery_level = coalesce(excluded.battery_level, power_banks.battery_level),
                   station_id = excluded.station_id, slot_index = excluded.slot_index, updated_at = now()`,
          [powerBankSn, batteryLevel, slot, stationSn],
        );
      });
    },

    async lost(q: Execute, powerBankSn: string): Promise<void> {
      await q(`update power_banks set status = 'lost', station_id = null, slot_index = null, updated_at = now() where sn = ? and status = 'rented'`, [
        powerBankSn,
      ]);
    },
  };
}
