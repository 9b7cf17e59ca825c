import type { MikroORM } from '@mikro-orm/postgresql';
import type { DeviceEvent, HeartbeatMessage } from '../../../kernel/devices/protocol';
import { rowCount } from '../../../kernel/sql';
import { kioskTime } from '../rules/kiosk-time';

/** A power bank a kiosk's heartbeat reported docked in a bay, at the kiosk's time `ts` (ms). */
export interface DockedReport {
  slot: number;
  powerBankSn: string;
  batteryLevel: number | null;
  ts: number;
}

/**
 * What kiosks say about themselves, written by the MQTT bridge: online/offline (retained status,
 * last will, any message, silence), last seen, and the bays they report. A bay the kiosk reported
 * (heartbeat or slot event) gets `slots.reported_at`, so readers can tell a report newer than some
 * moment (an eject command) from stale state.
 */
export function stationPresence(orm: MikroORM) {
  const sql = (query: string, params: unknown[]) => orm.em.getConnection().execute(query, params, 'run');
  /**
   * One bay as the kiosk reported it at `ts` (its own clock). Reports are ordered by that time: one
   * older than the bay's latest (a heartbeat queued before a slot event, delivered after it) leaves
   * the bay alone. A report without a plausible time is applied as it comes, unordered.
   */
  const reportBay = (sn: string, index: unknown, powerBankSn: string | null, batteryLevel: unknown, status: string, ts: Date | null) =>
    sql(
      `update slots set power_bank_sn = ?, battery_level = ?, status = ?, reported_at = now(), reported_ts = coalesce(?, reported_ts), updated_at = now()
     where index = ? and station_id = (select id from stations where sn = ?) and (?::timestamptz is null or reported_ts is null or reported_ts <= ?)`,
      [powerBankSn, batteryLevel ?? null, status, ts, index, sn, ts, ts],
    );
  return {
    /** Online or offline; a change is also written to `station_presence_log` (offline minutes, availability). */
    async setOnline(sn: string, online: boolean): Promise<void> {
      await sql(
        `with prev as (select id, online from stations where sn = ?),
              upd as (update stations s set online = ?, last_seen_at = case when ? then now() else s.last_seen_at end, updated_at = now()
                      from prev where s.id = prev.id returning s.id, prev.online as was)
         insert into station_presence_log (station_id, online) select id, ? from upd where was is distinct from ?`,
        [sn, online, online, online, online],
      );
    },

    /**
     * Writes each bay the heartbeat reports (ordered by its time); returns the docked power banks of
     * the bays it did write when it had a plausible time: the kiosk's newest word that they are in.
     */
    async recordHeartbeat(sn: string, hb: HeartbeatMessage): Promise<DockedReport[]> {
      await this.setOnline(sn, true);
      const ts = kioskTime(hb.ts);
      const docked: DockedReport[] = [];
      for (const s of hb.slots ?? []) {
        const res = await reportBay(sn, s.index, s.powerBankSn, s.batteryLevel, s.status ?? (s.powerBankSn ? 'occupied' : 'empty'), ts);
        if (ts && s.powerBankSn && typeof s.index === 'number' && rowCount(res) > 0)
          docked.push({
            slot: s.index,
            powerBankSn: s.powerBankSn,
            batteryLevel: typeof s.batteryLevel === 'number' ? s.batteryLevel : null,
            ts: ts.getTime(),
          });
      }
      return docked;
    },

    /** A kiosk's `slot` event: one bay changed. */
    async recordSlotEvent(sn: string, e: DeviceEvent): Promise<void> {
      const powerBankSn = (e.powerBankSn as string | null) ?? null;
      await reportBay(sn, e.slot, powerBankSn, e.batteryLevel, powerBankSn ? 'occupied' : 'empty', kioskTime(e.ts));
    },

    /** Stations that sent nothing for `timeoutMs` count as offline even without a last will; `only`: just these serials. */
    async markSilentStationsOffline(timeoutMs: number, only?: string[]): Promise<void> {
      const silent = `online and last_seen_at < now() - (? * interval '1 millisecond')`;
      const log = `insert into station_presence_log (station_id, online) select id, false from upd`;
      if (only)
        await sql(`with upd as (update stations set online = false, updated_at = now() where ${silent} and sn in (?) returning id) ${log}`, [timeoutMs, only]);
      else await sql(`with upd as (update stations set online = false, updated_at = now() where ${silent} returning id) ${log}`, [timeoutMs]);
    },
  };
}

export type StationPresence = ReturnType<typeof stationPresence>;
