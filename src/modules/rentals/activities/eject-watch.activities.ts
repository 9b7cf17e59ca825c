import type { MikroORM } from '@mikro-orm/postgresql';
import { judgeBay, type BayReport } from '../rules/review';
import { recordRentalEvent, type Run } from '../services/timeline';
import { lockPowerBank, powerBankInventory, stationReader } from '../../stations';
import { rentalStore } from '../services/rental-store';

export interface EjectWatchActivityDeps {
  orm: MikroORM;
}

interface Bay {
  rentalId: string;
  stationSn: string;
  slot: number;
  powerBankSn: string;
}

/**
 * The bay let the power bank go after a failed eject: the rental is flagged, and either a return
 * since then is linked to it or the power bank counts as out with its rider.
 */
async function releaseToRider(orm: MikroORM, input: Bay & { at: number; reportedAt: string }): Promise<{ returned: boolean }> {
  const conn = orm.em.getConnection();
  return conn.transactional(async (trx) => {
    const q: Run = (sql, params) => conn.execute(sql, params, 'all', trx);
    await lockPowerBank(q, input.powerBankSn);
    const [back] = await q(
      `select id, station_sn, slot_index, received_at from power_bank_returns
       where power_bank_sn = ? and received_at > (select created_at from rentals where id = ?) order by id limit 1`,
      [input.powerBankSn, input.rentalId],
    );
    await rentalStore.flagged(q, input.rentalId, 'ejected_after_failure', input.at);
    if (back) {
      await q(`update power_bank_returns set rental_id = ?, outcome = 'after_failure' where id = ? and outcome = 'unmatched'`, [input.rentalId, back.id]);
      await rentalStore.returnedAfterFailure(q, input.rentalId, { at: back.received_at, stationSn: back.station_sn, slot: back.slot_index });
    } else {
      await powerBankInventory(orm).ejected(q, input.stationSn, input.slot, input.powerBankSn, input.rentalId);
    }
    await recordRentalEvent(q, {
      rentalId: input.rentalId,
      type: 'eject_watch_ended',
      key: 'eject-watch:ended',
      at: input.at,
      data: {
        outcome: 'released',
        station_sn: input.stationSn,
        slot: input.slot,
        power_bank_sn: input.powerBankSn,
        reported_at: input.reportedAt,
        returned_since: !!back,
      },
    });
    return { returned: !!back };
  });
}

/**
 * Database side of the watch after an eject timeout (../workflows/eject-watch.ts). It
 * only reads what the MQTT bridge recorded; it writes the verdict. Each step is idempotent.
 */
export function createEjectWatchActivities({ orm }: EjectWatchActivityDeps) {
  const conn = () => orm.em.getConnection();
  const run: Run = (sql, params) => conn().execute(sql, params, 'run');
  const stations = stationReader(orm);

  return {
    /**
     * The watch begins (timeline event, once). Returns when, on the database clock: only a bay
     * report the bridge records after this counts. A retry returns the same moment.
     */
    async ejectWatchStarted(input: { rentalId: string; at: number; minutes: number; intervalSeconds: number }): Promise<{ since: string }> {
      await recordRentalEvent(run, {
        rentalId: input.rentalId,
        type: 'eject_watch_started',
        key: 'eject-watch:started',
        at: input.at,
        data: { minutes: input.minutes, interval_seconds: input.intervalSeconds },
      });
      const [row] = await conn().execute(`select created_at from rental_events where dedupe_key = ?`, [`${input.rentalId}:eject-watch:started`]);
      return { since: new Date(row.created_at).toISOString() };
    },

    /** What the kiosk reported about the bay since the watch began: present, released or nothing yet. */
    async bayReport(input: Bay & { since: string }): Promise<BayReport> {
      return judgeBay(await stations.bay(input.stationSn, input.slot), new Date(input.since), input.powerBankSn);
    },

    /**
     * A fresh report shows the bay without the power bank: the failed (refunded) rental is flagged
     * for review and the power bank counts as out with its user, nothing charged. If it has been
     * returned meanwhile (any station, after the rental was created), that return is linked to the
     * rental instead and the inventory keeps it where it is. Under the power bank's lock, like the
     * return handler (../services/flagged-returns.ts), so neither misses the other.
     */
    async releasedAfterFailedEject(input: Bay & { at: number; reportedAt: string }): Promise<{ returned: boolean }> {
      return releaseToRider(orm, input);
    },

    /**
     * The watch ends without a release: the bay still holds the power bank (the failure stands,
     * nothing else changes), or the kiosk reported nothing in time (flagged `eject_unconfirmed`).
     */
    async ejectWatchEnded(input: { rentalId: string; outcome: 'present' | 'unconfirmed'; at: number; reportedAt?: string }): Promise<void> {
      await conn().transactional(async (trx) => {
        const q: Run = (sql, params) => conn().execute(sql, params, 'run', trx);
        if (input.outcome === 'unconfirmed') {
          await rentalStore.flagged(q, input.rentalId, 'eject_unconfirmed', input.at);
        }
        await recordRentalEvent(q, {
          rentalId: input.rentalId,
          type: 'eject_watch_ended',
          key: 'eject-watch:ended',
          at: input.at,
          data: { outcome: input.outcome, reported_at: input.reportedAt ?? null },
        });
      });
    },
  };
}

export type EjectWatchActivities = ReturnType<typeof createEjectWatchActivities>;
