import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../src/config';
import { demoSlots } from '../../src/modules/stations/rules/demo';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { benchPackage, benchUser } from '../bench/fixtures';
import type { BenchStack } from '../bench/stack';

/** What the load saw: operations tried and completed, errors a client saw, and when each operation ended well. */
export interface LoadStats {
  attempted: number;
  completed: number;
  clientErrors: { at: number; what: string }[];
  /** Start time and end time of each lifecycle that completed. */
  successes: { startedAt: number; endedAt: number }[];
}

export interface Fleet {
  packageId: string;
  kiosks: KioskSimulator[];
  users: { id: string; token: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = ['completed', 'cancelled', 'failed', 'lost', 'resolved'];

/** Kiosk rows (8 bays, 6 power banks) and their simulators, connected to mosquitto as themselves. */
export async function prepareFleet(deps: { orm: MikroORM; config: Config; stateDir: string }, kioskSns: string[], renters: number): Promise<Fleet> {
  const stack = { orm: deps.orm, config: deps.config } as unknown as BenchStack;
  const conn = deps.orm.em.getConnection();
  const kiosks: KioskSimulator[] = [];
  for (const sn of kioskSns) {
    const slots = demoSlots(sn);
    await conn.execute(
      `insert into stations (id, sn, name, latitude, longitude, slot_count, online, last_seen_at) values (gen_random_uuid(), ?, ?, 27.7, 85.3, ?, false, now())`,
      [sn, `Fault ${sn}`, slots.length],
    );
    for (const s of slots) {
      await conn.execute(
        `insert into slots (id, station_id, index, status, power_bank_sn, battery_level) select gen_random_uuid(), id, ?, ?, ?, ? from stations where sn = ?`,
        [s.index, s.powerBankSn ? 'occupied' : 'empty', s.powerBankSn, s.batteryLevel, sn],
      );
    }
    const sim = new KioskSimulator({
      brokerUrl: deps.config.MQTT_URL,
      sn,
      slots,
      ejectDelayMs: 100,
      heartbeatMs: 5_000,
      authSecret: deps.config.MQTT_AUTH_SECRET,
      stateDir: deps.stateDir,
    });
    await sim.start();
    kiosks.push(sim);
  }
  for (const sn of kioskSns) {
    for (let t = 0; ; t++) {
      const [row] = await conn.execute(`select online from stations where sn = ?`, [sn]);
      if (row?.online) break;
      if (t > 600) throw new Error(`kiosk ${sn} never came online`);
      await sleep(100);
    }
  }
  const users = await Promise.all(Array.from({ length: renters }, () => benchUser(stack, 1_000_000)));
  return { packageId: await benchPackage(stack), kiosks, users };
}

/** The rental's status, read from the database. */
async function rentalStatus(orm: MikroORM, id: string): Promise<string | undefined> {
  const [row] = await orm.em.getConnection().execute(`select status from rentals where id = ?`, [id]);
  return row?.status as string | undefined;
}

/** Returns at its kiosk every power bank a renter holds whose start the client never heard of (the start's answer was lost). */
export async function returnHeldBanks(orm: MikroORM, fleet: Fleet, userId: string): Promise<void> {
  const held = await orm.em
    .getConnection()
    .execute(`select power_bank_sn, station_sn sn from rentals where user_id = ? and status in ('active', 'overdue')`, [userId]);
  for (const h of held) {
    const kiosk = fleet.kiosks.find((k) => k.sn === h.sn) ?? fleet.kiosks[0];
    await kiosk.returnPowerBank(String(h.power_bank_sn)).catch(() => undefined);
  }
}

/**
 * Complete rentals in lanes (one renter each), alternating between the API copies, until `stop()`:
 * start over HTTP, return the power bank at the kiosk, wait for the rental's final state.
 */
export function startLoad(orm: MikroORM, fleet: Fleet, apis: string[], stats: LoadStats) {
  let running = true;
  const lane = async (i: number) => {
    const user = fleet.users[i];
    const kiosk = fleet.kiosks[i % fleet.kiosks.length];
    for (let n = 0; running; n++) {
      const api = apis[(i + n) % apis.length];
      const startedAt = Date.now();
      stats.attempted++;
      const error = (what: string) => stats.clientErrors.push({ at: Date.now(), what: `${api} ${what}` });
      const res = await fetch(`${api}/api/rentals/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ station_sn: kiosk.sn, package_id: fleet.packageId, payment_model: 'pre_payment', payment_mode: 'wallet_only' }),
        signal: AbortSignal.timeout(20_000),
      }).catch((err: Error) => err);
      const body =
        res instanceof Error ? undefined : ((await res.json().catch(() => undefined)) as { data?: { id: string; power_bank_sn: string } } | undefined);
      if (res instanceof Error || res.status !== 201 || !body?.data) {
        error(res instanceof Error ? res.message : `start ${res.status} ${JSON.stringify(body).slice(0, 120)}`);
        await sleep(1_000);
        await returnHeldBanks(orm, fleet, user.id);
        continue;
      }
      await kiosk.returnPowerBank(body.data.power_bank_sn).catch((err: Error) => error(`return: ${err.message}`));
      for (let t = 0; t < 600; t++) {
        const status = await rentalStatus(orm, body.data.id).catch(() => undefined);
        if (status && FINAL.includes(status)) {
          if (status === 'completed') {
            stats.completed++;
            stats.successes.push({ startedAt, endedAt: Date.now() });
          }
          break;
        }
        await sleep(200);
      }
    }
  };
  const lanes = fleet.users.map((_, i) => lane(i));
  return {
    async stop() {
      running = false;
      await Promise.all(lanes);
    },
  };
}
