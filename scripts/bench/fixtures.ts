import { randomUUID } from 'node:crypto';
import { gatewayClearing, userWallet } from '../../src/modules/ledger/rules/accounts';
import { demoSlots } from '../../src/modules/stations/rules/demo';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { LedgerService } from '../../src/modules/ledger/services/ledger.service';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import type { BenchStack } from './stack';

/** A customer with a real session, complete profile, approved KYC and `walletMinor` in the wallet. */
export async function benchUser(stack: BenchStack, walletMinor: number): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const conn = stack.orm.em.getConnection();
  await conn.execute(`insert into users (id, role, status, username) values (?, 'customer', 'active', ?)`, [id, `bench-${id.slice(0, 8)}`]);
  await conn.execute(
    `insert into user_profiles (user_id, full_name, date_of_birth, gender, address_line, city) values (?, 'Bench Renter', '1990-01-01', 'other', 'Bench Road', 'Kathmandu')`,
    [id],
  );
  await conn.execute(
    `insert into kyc_submissions (id, user_id, citizenship_number, document_front_url, document_back_url, status) values (?, ?, ?, 'https://x/f', 'https://x/b', 'approved')`,
    [randomUUID(), id, `B-${id.slice(0, 8)}`],
  );
  const ledger = new LedgerService(stack.orm);
  await ledger.openUserAccounts(id, 'NPR');
  await ledger.post({
    key: `bench-topup:${id}`,
    type: 'topup',
    userId: id,
    postings: [
      { account: userWallet(id, 'NPR'), amountMinor: walletMinor },
      { account: gatewayClearing('khalti', 'NPR'), amountMinor: -walletMinor },
    ],
  });
  const { access_token } = await new AuthTokenService({ orm: stack.orm, config: stack.config }).startSession({ id, role: 'customer' });
  return { id, token: access_token };
}

/** A kiosk row with 8 bays (6 charged power banks) and its simulator on the broker. */
export async function benchKiosk(stack: BenchStack, i: number, ejectDelayMs: number): Promise<KioskSimulator> {
  const sn = `BENCH${String(i).padStart(3, '0')}`;
  const conn = stack.orm.em.getConnection();
  const slots = demoSlots(sn);
  await conn.execute(
    `insert into stations (id, sn, name, latitude, longitude, slot_count, online, last_seen_at) values (gen_random_uuid(), ?, ?, 27.7, 85.3, ?, false, now())`,
    [sn, `Bench ${i}`, slots.length],
  );
  for (const s of slots) {
    await conn.execute(
      `insert into slots (id, station_id, index, status, power_bank_sn, battery_level) select gen_random_uuid(), id, ?, ?, ?, ? from stations where sn = ?`,
      [s.index, s.powerBankSn ? 'occupied' : 'empty', s.powerBankSn, s.batteryLevel, sn],
    );
  }
  const sim = new KioskSimulator({
    brokerUrl: stack.config.MQTT_URL,
    sn,
    slots,
    ejectDelayMs,
    heartbeatMs: 600_000,
    authSecret: stack.config.MQTT_AUTH_SECRET,
  });
  await sim.start();
  for (let t = 0; t < 100; t++) {
    const [row] = await conn.execute(`select online from stations where sn = ?`, [sn]);
    if (row?.online) return sim;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`kiosk ${sn} never came online`);
}

export async function benchPackage(stack: BenchStack): Promise<string> {
  const conn = stack.orm.em.getConnection();
  await conn.execute(
    `insert into rental_packages (id, code, name, duration_minutes, price_minor) values (gen_random_uuid(), '1H', '1 hour', 60, 2000) on conflict (code) do nothing`,
  );
  return String((await conn.execute(`select id from rental_packages where code = '1H'`))[0].id);
}
