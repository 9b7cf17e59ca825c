import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { POINTS_CURRENCY, systemAccount, userPoints } from '../../src/modules/ledger/rules/accounts';
import { LedgerService } from '../../src/modules/ledger/services/ledger.service';
import type { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { fundWallet } from '../money/support';
import { stackIn, useComposedFixture, type FixtureScope, type StackOptions } from '../support/fixtures';
import { sql } from '../support/db';
import { startKiosk } from '../support/kiosk';
import { customerToken, eventually, type TestStack } from '../support/stack';

export { sql, startKiosk };

/** Packages of the rental tests: 1 hour for NPR 20 (the seed's example) and 2 hours for NPR 35. */
export const PACKAGES = { hour: { code: 'RT-1H', minutes: 60, priceMinor: 2000 }, twoHours: { code: 'RT-2H', minutes: 120, priceMinor: 3500 } };

export async function ensurePackages(stack: TestStack): Promise<{ hour: string; twoHours: string }> {
  const conn = stack.orm.em.getConnection();
  const ids: Record<string, string> = {};
  for (const [name, p] of Object.entries(PACKAGES)) {
    await conn.execute(
      `insert into rental_packages (id, code, name, duration_minutes, price_minor) values (gen_random_uuid(), ?, ?, ?, ?) on conflict (code) do nothing`,
      [p.code, `${p.minutes} minutes`, p.minutes, p.priceMinor],
    );
    [{ id: ids[name] }] = await conn.execute(`select id from rental_packages where code = ?`, [p.code]);
  }
  return ids as { hour: string; twoHours: string };
}

export interface Renter {
  id: string;
  token: string;
}

/** A customer with a real session, a complete profile and approved KYC (unless told otherwise), and money. */
export async function createRenter(stack: TestStack, opts: { walletMinor?: number; points?: number; profile?: boolean; kyc?: boolean } = {}): Promise<Renter> {
  const id = randomUUID();
  const token = await customerToken(stack, id);
  const conn = stack.orm.em.getConnection();
  if (opts.profile !== false) {
    await conn.execute(
      `insert into user_profiles (user_id, full_name, date_of_birth, gender, address_line, city) values (?, 'Test Renter', '1995-04-01', 'female', 'Thamel Marg 1', 'Kathmandu')`,
      [id],
    );
  }
  if (opts.kyc !== false) {
    await conn.execute(
      `insert into kyc_submissions (id, user_id, citizenship_number, document_front_url, document_back_url, status, reviewed_at) values (?, ?, ?, 'https://x/front.png', 'https://x/back.png', 'approved', now())`,
      [randomUUID(), id, `12-01-${id.slice(0, 6)}`],
    );
  }
  const ledger = new LedgerService(stack.orm);
  await ledger.openUserAccounts(id, 'NPR');
  if (opts.walletMinor) await fundWallet(ledger, id, opts.walletMinor);
  if (opts.points) await givePoints(stack, id, opts.points);
  return { id, token };
}

export async function givePoints(stack: TestStack, userId: string, points: number) {
  await new LedgerService(stack.orm).post({
    key: `test-points:${randomUUID()}`,
    type: 'points_award',
    userId,
    metadata: { reason: 'adjustment' },
    postings: [
      { account: userPoints(userId), amountMinor: points },
      { account: systemAccount('promotions', POINTS_CURRENCY), amountMinor: -points },
    ],
  });
}

export const balances = (stack: TestStack, userId: string) => new LedgerService(stack.orm).balances(userId, 'NPR');

export interface RentalFixture {
  stack: TestStack;
  /** The kiosk of the block, online. */
  sim: KioskSimulator;
  /** Ids of the rental packages (PACKAGES). */
  pkg: { hour: string; twoHours: string };
}

/** In a fixture's setup: a stack, the rental packages and a kiosk; the kiosk stops before the stack closes. */
export async function rentalStackIn(scope: FixtureScope, opts: StackOptions = {}): Promise<RentalFixture> {
  const stack = await stackIn(scope, opts);
  const pkg = await ensurePackages(stack);
  const sim = await scope.use(startKiosk(stack), (k) => k.stop());
  return { stack, sim, pkg };
}

/** rentalStackIn as the fixture of the calling describe; `more` adds the block's own values. */
export function useRentalStack<X extends object = object>(opts: StackOptions = {}, more?: (base: RentalFixture, scope: FixtureScope) => Promise<X> | X) {
  return useComposedFixture((scope) => rentalStackIn(scope, opts), more);
}

/** supertest with the renter's bearer token. */
export function api(stack: TestStack, token?: string) {
  const auth = (r: request.Test) => (token ? r.set('Authorization', `Bearer ${token}`) : r);
  return {
    get: (p: string) => auth(request(stack.baseUrl).get(`/api${p}`)),
    post: (p: string, body: object = {}) => auth(request(stack.baseUrl).post(`/api${p}`)).send(body),
  };
}

export const startBody = (sim: KioskSimulator, packageId: string, model: 'pre_payment' | 'post_payment' = 'pre_payment', mode = 'points_first') => ({
  station_sn: sim.sn,
  package_id: packageId,
  payment_model: model,
  payment_mode: mode,
});

/** Waits until the rental row has one of the statuses. */
export const rentalInStatus = (stack: TestStack, rentalId: string, statuses: string[], timeoutMs = 15_000) =>
  eventually(async () => {
    const [r] = await sql(stack, 'select * from rentals where id = ?', [rentalId]);
    return r && statuses.includes(r.status) ? r : undefined;
  }, timeoutMs);

/** A slot and the power bank row as the inventory has them. */
export async function inventoryOf(stack: TestStack, sn: string, powerBankSn: string) {
  const [slot] = await sql(
    stack,
    'select s.index, s.status, s.power_bank_sn from slots s join stations st on st.id = s.station_id where st.sn = ? and s.power_bank_sn = ?',
    [sn, powerBankSn],
  );
  const [pb] = await sql(
    stack,
    'select pb.status, st.sn as station_sn, pb.slot_index from power_banks pb left join stations st on st.id = pb.station_id where pb.sn = ?',
    [powerBankSn],
  );
  return { slot: slot ?? null, powerBank: pb ?? null };
}

export const entriesOf = (stack: TestStack, keyPrefix: string) =>
  sql(stack, `select idempotency_key, type from journal_entries where idempotency_key like ? order by created_at`, [`${keyPrefix}%`]);

/** Bay levels under which a kiosk's only rentable power bank is bay 1's. */
export const ONLY_BAY_1_RENTABLE = [90, 5, 5, 5, 5, 5, 5, 5];

/**
 * On a kiosk started with ONLY_BAY_1_RENTABLE: one rider rents bay 1's power bank and returns it
 * there, then another rents that same power bank. Returns both rentals (the first completed) and the
 * second's return.
 */
export async function rentOnePowerBankTwice(stack: TestStack, kiosk: KioskSimulator, packageId: string) {
  const [one, two] = [await createRenter(stack, { walletMinor: 5000 }), await createRenter(stack, { walletMinor: 5000 })];
  const first = (await api(stack, one.token).post('/rentals/start', startBody(kiosk, packageId))).body.data;
  await kiosk.returnPowerBank(first.power_bank_sn, first.slot, 90);
  await rentalInStatus(stack, first.id, ['completed']);
  const second = (await api(stack, two.token).post('/rentals/start', startBody(kiosk, packageId))).body.data;
  if (second?.power_bank_sn !== first.power_bank_sn) throw new Error(`the second rental got ${String(second?.power_bank_sn)}, not ${first.power_bank_sn}`);
  /** The second rider brings it back: that rental completes. */
  const returnSecond = async () => {
    await kiosk.returnPowerBank(second.power_bank_sn, second.slot, 90);
    await rentalInStatus(stack, second.id, ['completed']);
  };
  return { first, second, returnSecond };
}
