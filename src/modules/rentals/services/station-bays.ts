import type { Execute } from '../../../kernel/sql';
import { OPEN_RENTAL_STATUSES } from '../rules/status';

/** The bays of a station that an open rental started from (a station's bay count may not drop below them). */
export async function openRentalBays(sn: string, tx: Execute): Promise<number[]> {
  const rows = await tx(`select distinct slot_index from rentals where station_sn = ? and status in (?) order by slot_index`, [sn, OPEN_RENTAL_STATUSES]);
  return rows.map((r) => Number(r.slot_index));
}
