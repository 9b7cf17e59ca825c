import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { Config } from '../../src/config';
import { startAttributes } from '../../src/kernel/temporal/search-attributes';
import { ejectUpdate, RENTAL_WORKFLOW_TYPE, rentalWorkflowId, rulesFromConfig, type RentalInput, type RentalWorkflow } from '../../src/modules/rentals';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { runPool } from './stats';

/** Bays of one simulated kiosk: each open rental holds one power bank out of one bay. */
const BAYS = 250;

interface Deps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
}

/** A 24-hour post-payment package: an open rental waits on its return timer all through the bench. */
async function dayPackage(orm: MikroORM) {
  const conn = orm.em.getConnection();
  await conn.execute(
    `insert into rental_packages (id, code, name, duration_minutes, price_minor, payment_model) values (gen_random_uuid(), 'MEM24', '24 hours', 1440, 5000, 'both') on conflict (code) do nothing`,
  );
  const [p] = await conn.execute(`select id, name, duration_minutes, price_minor, currency from rental_packages where code = 'MEM24'`);
  return {
    id: String(p.id),
    name: String(p.name),
    durationMinutes: Number(p.duration_minutes),
    priceMinor: Number(p.price_minor),
    currency: String(p.currency),
  };
}

/** `count` kiosks of BAYS bays each, every bay holding a charged power bank, on the broker. */
async function kiosks(deps: Deps, prefix: string, count: number): Promise<KioskSimulator[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const sn = `${prefix}${String(k).padStart(3, '0')}`;
      await deps.orm.em
        .getConnection()
        .execute(
          `insert into stations (id, sn, name, latitude, longitude, slot_count, online, last_seen_at) values (gen_random_uuid(), ?, ?, 27.7, 85.3, ?, false, now())`,
          [sn, `Memory ${sn}`, BAYS],
        );
      const slots = Array.from({ length: BAYS }, (_, i) => ({ index: i + 1, powerBankSn: `PB-${sn}-${i + 1}`, batteryLevel: 100 }));
      const sim = new KioskSimulator({
        brokerUrl: deps.config.MQTT_URL,
        sn,
        slots,
        ejectDelayMs: 0,
        heartbeatMs: 3_600_000,
        authSecret: deps.config.MQTT_AUTH_SECRET,
      });
      await sim.start();
      return sim;
    }),
  );
}

/**
 * Open rentals, made as the start API makes them (a reserved `rentals` row, then `rental:<id>` by
 * update-with-start, answered once the kiosk acked the eject), minus its HTTP and prerequisite reads:
 * each run then waits on its return timer. `open(n)` brings the count of open ones up to n.
 */
export async function openRentalFleet(deps: Deps, prefix: string, total: number) {
  const conn = deps.orm.em.getConnection();
  const pkg = await dayPackage(deps.orm);
  const sims = await kiosks(deps, prefix, Math.ceil(total / BAYS));
  const users = (
    await conn.execute<{ id: string }[]>(
      `insert into users (id, role, status, username) select gen_random_uuid(), 'customer', 'active', ? || g from generate_series(1, ?) g returning id`,
      [`${prefix.toLowerCase()}-`, total],
    )
  ).map((u) => u.id);
  const rules = rulesFromConfig(deps.config);
  let opened = 0;
  const failures: string[] = [];

  async function openOne(i: number) {
    const sim = sims[Math.floor(i / BAYS)];
    const slot = (i % BAYS) + 1;
    const input: RentalInput = {
      rentalId: randomUUID(),
      userId: users[i],
      stationSn: sim.sn,
      slot,
      powerBankSn: `PB-${sim.sn}-${slot}`,
      paymentModel: 'post_payment',
      paymentMode: 'wallet_only',
      pkg,
      powerBankPriceMinor: 200_000,
      rules,
      ejectTimeoutMs: deps.config.DEVICE_ACK_TIMEOUT_MS,
      ejectWatch: { minutes: deps.config.RENTAL_EJECT_WATCH_MINUTES, intervalSeconds: deps.config.RENTAL_EJECT_WATCH_INTERVAL_SECONDS },
    };
    await conn.execute(
      `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, price_minor, duration_minutes, price_cap_minor)
       values (?, ?, ?, ?, ?, ?, 'post_payment', 'wallet_only', ?, ?, ?)`,
      [input.rentalId, input.userId, input.stationSn, slot, input.powerBankSn, pkg.id, pkg.priceMinor, pkg.durationMinutes, pkg.priceMinor],
    );
    const startWorkflowOperation = new WithStartWorkflowOperation<RentalWorkflow>(RENTAL_WORKFLOW_TYPE, {
      workflowId: rentalWorkflowId(input.rentalId),
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: startAttributes({ userId: input.userId, stationSn: input.stationSn, status: 'ejecting' }),
    });
    // A failed start is counted, never thrown: the other lanes' calls go on and the report says how many failed.
    const outcome = await deps.temporal.workflow
      .executeUpdateWithStart(ejectUpdate, { startWorkflowOperation })
      .catch((err: Error) => ({ ok: false, code: err.message }));
    if (!outcome.ok) failures.push(`${input.rentalId}: ${'code' in outcome ? outcome.code : 'failed'}`);
  }

  return {
    failures,
    /** Opens rentals until `n` are open, `concurrency` starts at a time. */
    async open(n: number, concurrency: number): Promise<void> {
      const from = opened;
      await runPool(Math.min(n, total) - from, concurrency, (i) => openOne(from + i).catch((err: Error) => void failures.push(err.message)));
      opened = Math.min(n, total);
    },
    async stop() {
      for (const sim of sims) await sim.stop();
    },
  };
}
