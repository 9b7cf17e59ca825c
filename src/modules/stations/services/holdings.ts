import type { MikroORM } from '@mikro-orm/postgresql';

/** Is this power bank on its way out of its bay (its eject acked, not yet recorded)? */
export type Leaving = (powerBankSn: string) => Promise<boolean>;

/**
 * What a station can truthfully say it holds (issue 10: device messages are bound to the station
 * that sent them): the checks of a `returned` event before it moves anything, and whether a
 * station holds a power bank now.
 */
export function stationHoldings(orm: MikroORM) {
  /** Which of these power banks the inventory has out with a rider (status `rented`). */
  const outWithRiders = async (powerBankSns: string[]): Promise<Set<string>> => {
    if (!powerBankSns.length) return new Set();
    const rows = await orm.em.getConnection().execute(`select sn from power_banks where sn in (?) and status = 'rented'`, [powerBankSns]);
    return new Set(rows.map((r) => String(r.sn)));
  };
  const rentedOut = async (powerBankSn: string) => (await outWithRiders([powerBankSn])).has(powerBankSn);
  return {
    /**
     * Why a station's `returned` event cannot be true, or null when it can (it changes nothing
     * when refused): the station is unknown, the bay is not one of its bays, its own latest report
     * has another power bank in that bay, or another station reports the power bank in one of its
     * bays right now. (The same kiosk reporting it in another of its own bays is its newer word.)
     * A bay whose recorded power bank is rented out is not full: an eject let that one go and the
     * kiosk's `slot` event saying so has not been applied yet (with several bridges in a `$share`
     * group one kiosk's messages are handled in parallel, so a return into the freed bay can come
     * first). Refusing then dropped a true return and left its rental running (fault suite).
     * Nor is one that `leaving` says is on its way out (the rentals module: an open rental holds
     * it, its eject acked but not yet recorded; fault suite ci6 under a paused worker).
     */
    async returnRefusal(stationSn: string, slot: number | null, powerBankSn: string, leaving: Leaving = async () => false): Promise<string | null> {
      const [station] = await orm.em.getConnection().execute(`select id from stations where sn = ?`, [stationSn]);
      if (!station) return 'unknown station';
      if (slot !== null) {
        const [bay] = await orm.em.getConnection().execute(`select power_bank_sn from slots where station_id = ? and index = ?`, [station.id, slot]);
        if (!bay) return `no bay ${slot} at ${stationSn}`;
        const docked = bay.power_bank_sn ? String(bay.power_bank_sn) : null;
        // In this order: an eject recorded between the two reads is seen by the second (its rental stays open).
        if (docked && docked !== powerBankSn && !(await rentedOut(docked)) && !(await leaving(docked))) return `bay ${slot} holds ${docked}`;
      }
      const [elsewhere] = await orm.em
        .getConnection()
        .execute(`select st.sn, s.index from slots s join stations st on st.id = s.station_id where s.power_bank_sn = ? and st.sn <> ? limit 1`, [
          powerBankSn,
          stationSn,
        ]);
      return elsewhere ? `held in bay ${String(elsewhere.index)} of ${String(elsewhere.sn)}` : null;
    },

    outWithRiders,

    /** Does this station hold the power bank now (docked there in the inventory)? */
    async holds(stationSn: string, powerBankSn: string): Promise<boolean> {
      const [row] = await orm.em
        .getConnection()
        .execute(
          `select 1 from power_banks pb join stations st on st.id = pb.station_id where pb.sn = ? and st.sn = ? and pb.status not in ('rented', 'lost')`,
          [powerBankSn, stationSn],
        );
      return Boolean(row);
    },
  };
}
