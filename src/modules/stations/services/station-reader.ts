import type { MikroORM } from '@mikro-orm/postgresql';
import { toInt } from '../../../kernel/money';

/** What other modules read about stations, bays and power banks (the inventory is written in ./inventory.ts). */
export function stationReader(orm: MikroORM) {
  const conn = () => orm.em.getConnection();
  return {
    /** Whether a station can serve a rental now. */
    async station(sn: string): Promise<{ sn: string; online: boolean; maintenance: boolean; status: string } | undefined> {
      const [row] = await conn().execute(`select sn, online, maintenance, status from stations where sn = ?`, [sn]);
      return row ? { sn: String(row.sn), online: !!row.online, maintenance: !!row.maintenance, status: String(row.status) } : undefined;
    },

    /**
     * The power banks docked at a station that may be rented out: charged to `minBattery`, not marked
     * rented, lost or in maintenance; the fullest first.
     */
    async chargedPowerBanks(sn: string, minBattery: number): Promise<{ slot: number; powerBankSn: string; batteryLevel: number }[]> {
      const rows = await conn().execute(
        `select s.index, s.power_bank_sn, s.battery_level
         from slots s join stations st on st.id = s.station_id left join power_banks pb on pb.sn = s.power_bank_sn
         where st.sn = ? and s.status = 'occupied' and s.power_bank_sn is not null and coalesce(s.battery_level, 0) >= ?
           and coalesce(pb.status, 'available') = 'available'
         order by s.battery_level desc, s.index`,
        [sn, minBattery],
      );
      return rows.map((r: Record<string, unknown>) => ({ slot: toInt(r.index), powerBankSn: String(r.power_bank_sn), batteryLevel: toInt(r.battery_level) }));
    },

    /** What the kiosk last reported about one bay (heartbeat or slot event), if the bay exists. */
    async bay(sn: string, slot: number): Promise<{ powerBankSn: string | null; reportedAt: Date | null } | undefined> {
      const [row] = await conn().execute(
        `select s.power_bank_sn, s.reported_at from slots s join stations st on st.id = s.station_id where st.sn = ? and s.index = ?`,
        [sn, slot],
      );
      return row ? { powerBankSn: (row.power_bank_sn as string | null) ?? null, reportedAt: row.reported_at ? new Date(row.reported_at) : null } : undefined;
    },

    /** The price charged when a power bank counts as lost (null when it has no row). */
    async powerBankPrice(powerBankSn: string): Promise<number | null> {
      const [pb] = await conn().execute(`select price_minor from power_banks where sn = ?`, [powerBankSn]);
      return pb ? toInt(pb.price_minor) : null;
    },

    /** Status and last rental of some power banks, by serial. */
    async powerBanks(serials: readonly string[]): Promise<Map<string, { status: string; lastRentalId: string | null }>> {
      if (!serials.length) return new Map();
      const rows = await conn().execute(`select sn, status, last_rental_id from power_banks where sn in (?)`, [[...new Set(serials)]]);
      return new Map(
        rows.map((r: Record<string, unknown>) => [String(r.sn), { status: String(r.status), lastRentalId: (r.last_rental_id as string) ?? null }]),
      );
    },
  };
}

export type StationReader = ReturnType<typeof stationReader>;
