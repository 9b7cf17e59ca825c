import { randomUUID } from 'node:crypto';
import { gatewayClearing, userWallet } from '../../src/modules/ledger/rules/accounts';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { stationPresence } from '../../src/modules/stations';
import { useTestStack } from '../support/fixtures';
import { sql } from '../support/db';
import { createTestStation, eventually } from '../support/stack';
import { bearer, createUser, fundWallet } from '../money/support';
import { ensurePackages } from '../rentals/support';
import { ROLLUP_DIFF, rollupFixture } from './rollup-support';

const NPT = '+05:45';
/** The instant a Nepali day starts: `2026-12-02` → 2026-12-01T18:15:00Z. */
const nptStart = (day: string) => new Date(`${day}T00:00:00${NPT}`);
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Admin analytics read each module's own figures; every money figure comes from the ledger and
 * must equal the journal summed directly over the same Nepali days. Other test files post too,
 * so a figure is compared with the journal when two reads around the direct sum agree.
 */
describe('admin analytics', () => {
  const fx = useTestStack({ worker: false, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const get = async (path: string, role: 'admin' | 'customer' = 'admin') =>
    fx
      .api()
      .get(`/api/admin/analytics/${path}`)
      .set(await bearer(fx.stack, randomUUID(), role));
  const rollup = rollupFixture(() => fx.stack);
  const today = async () => (await sql(fx.stack, `select to_char(now() at time zone 'Asia/Kathmandu', 'YYYY-MM-DD') as d`))[0].d as string;

  /** The journal's revenue + fines movement (NPR) between two instants, summed from the postings themselves. */
  const journal = async (from: Date, to: Date) => {
    const [r] = await sql(
      fx.stack,
      `select coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0 and a.kind = 'revenue' and e.idempotency_key not like 'rental-extend:%'), 0)::bigint as rental,
              coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0 and a.kind = 'revenue' and e.idempotency_key like 'rental-extend:%'), 0)::bigint as ext,
              coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0 and a.kind = 'fines'), 0)::bigint as fines,
              coalesce(-sum(p.amount_minor) filter (where p.amount_minor < 0), 0)::bigint as refunds,
              coalesce(sum(p.amount_minor), 0)::bigint as net
       from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id
       where a.owner_type = 'system' and a.kind in ('revenue', 'fines') and a.currency = 'NPR' and e.created_at >= ? and e.created_at < ?`,
      [from, to],
    );
    return { rental_charges: Number(r.rental), extensions: Number(r.ext), fines: Number(r.fines), refunds: Number(r.refunds), net: Number(r.net) };
  };
  const minor = (b: Record<string, { amount_minor: number }>) =>
    Object.fromEntries(['rental_charges', 'extensions', 'fines', 'refunds', 'net'].map((k) => [k, b[k].amount_minor]));

  /** Revenue totals of from..to next to the journal's, once two reads around the direct sum agree. */
  const steadyRevenue = async (from: string, to: string) => {
    let seen: { api: Record<string, number>; journal: Record<string, number> } | undefined;
    await eventually(async () => {
      const first = minor((await get(`revenue?from=${from}&to=${to}`)).body.data.totals);
      const direct = await journal(nptStart(from), nptStart(nextDay(to)));
      const second = minor((await get(`revenue?from=${from}&to=${to}`)).body.data.totals);
      seen = { api: first, journal: direct };
      return JSON.stringify(first) === JSON.stringify(second);
    });
    return seen!;
  };

  it('when charges, an extension, a fine and a refund are posted today, then revenue by source grows by at least them and equals the journal summed over the same Nepali days', async () => {
    const day = await today();
    const before = await steadyRevenue(day, day);
    expect(before.api).toEqual(before.journal);

    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 10_000);
    const rental = randomUUID();
    const charge = (key: string, amountMinor: number, to: 'revenue' | 'fines' = 'revenue') =>
      fx.money.charges.charge({ key, userId, amountMinor, currency: 'NPR', mode: 'wallet_only', to, type: to === 'fines' ? 'fine' : 'rental_charge' });
    const usage = await charge(`rental-usage:${rental}`, 2_000);
    await charge(`rental-extend:${rental}:1`, 500);
    await charge(`rental-fine:${rental}`, 300, 'fines');
    await fx.money.ledger.reverse(usage.id, { key: `refund:rental-usage:${rental}`, type: 'refund', userId });

    const after = await steadyRevenue(day, day);
    expect(after.api).toEqual(after.journal);
    const moved = Object.fromEntries(Object.entries(after.api).map(([k, v]) => [k, v - before.api[k]]));
    // Other test files may post in the same moment, so: at least what this test posted.
    expect(moved.extensions).toBeGreaterThanOrEqual(500);
    expect(moved.fines).toBeGreaterThanOrEqual(300);
    expect(moved.rental_charges).toBeGreaterThanOrEqual(2_000);
    expect(moved.refunds).toBeGreaterThanOrEqual(2_000);

    const { body } = await get(`revenue?from=${day}&to=${day}`);
    expect(body.success).toBe(true);
    expect(body.data.period).toEqual({ from: day, to: day, time_zone: 'Asia/Kathmandu' });
    expect(body.data.daily.map((d: { day: string }) => d.day)).toEqual([day]);
    expect(body.data.monthly.map((m: { month: string }) => m.month)).toEqual([day.slice(0, 7)]);
    expect(body.data.totals.net.amount).toMatch(/^-?\d+\.\d{2}$/);
  });

  it('when the last 30 days are asked for, then every day and the totals equal the journal summed over the same Nepali days', async () => {
    const to = await today();
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const seen = await steadyRevenue(from, to);
    expect(seen.api).toEqual(seen.journal);
    const { body } = await get(`revenue?from=${from}&to=${to}`);
    for (const d of body.data.daily as { day: string; net: { amount_minor: number } }[]) {
      expect(d.net.amount_minor).toBe((await journal(nptStart(d.day), nptStart(nextDay(d.day)))).net);
    }
  });

  it('when a top-up lands, then the dashboard counts it and its dues outstanding equal the negative wallets summed directly', async () => {
    const day = await today();
    const topups = async () => (await get(`dashboard?from=${day}&to=${day}`)).body.data.topups as { count: number; total: { amount_minor: number } };
    const before = await topups();
    const userId = await createUser(fx.stack.orm);
    await fx.money.ledger.post({
      key: `topup:${randomUUID()}`,
      type: 'topup',
      userId,
      postings: [
        { account: userWallet(userId, 'NPR'), amountMinor: 12_345 },
        { account: gatewayClearing('khalti', 'NPR'), amountMinor: -12_345 },
      ],
    });
    const after = await topups();
    expect(after.count).toBeGreaterThanOrEqual(before.count + 1);
    expect(after.total.amount_minor - before.total.amount_minor).toBeGreaterThanOrEqual(12_345);

    const dash = (await get(`dashboard?from=${day}&to=${day}`)).body.data;
    expect(Object.keys(dash)).toEqual(['period', 'users', 'rentals', 'revenue', 'topups', 'dues_outstanding', 'stations']);
    // Dues outstanding equal the negative wallets summed directly (two reads around the sum agree).
    const dues = async () => (await get(`dashboard?from=${day}&to=${day}`)).body.data.dues_outstanding.total.amount_minor as number;
    await eventually(async () => {
      const first = await dues();
      const [d] = await sql(
        fx.stack,
        `select coalesce(-sum(balance_minor), 0)::bigint as d from ledger_accounts where kind = 'wallet' and currency = 'NPR' and balance_minor < 0`,
      );
      return first === Number(d.d) && first === (await dues());
    });
  });

  it('when a customer signs up just after midnight in Kathmandu (18:20 UTC the day before), then user analytics count them on the Nepali day', async () => {
    const userId = await createUser(fx.stack.orm);
    await sql(fx.stack, `update users set created_at = '2020-01-14T18:20:00Z' where id = ?`, [userId]);
    await sql(
      fx.stack,
      `insert into user_profiles (user_id, full_name, date_of_birth, gender, address_line, city) values (?, 'Test Person', '1990-01-01', 'female', 'Street 1', 'Kathmandu')`,
      [userId],
    );
    const nepali = (await get('users?from=2020-01-15&to=2020-01-15')).body.data;
    expect(nepali.growth.new_by_day).toEqual([{ day: '2020-01-15', count: 1 }]);
    expect(nepali.kyc_funnel).toEqual({ registered: 1, profile_complete: 1, kyc_submitted: 0, kyc_approved: 0 });
    const utcDay = (await get('users?from=2020-01-14&to=2020-01-14')).body.data;
    expect(utcDay.growth.new_in_period).toBe(0);
  });

  it('when a station was offline from 10:00 to 12:00 on a Nepali day, then station analytics show 120 offline minutes and its availability', async () => {
    const sn = await createTestStation(fx.stack.orm, { online: true, slots: 4 });
    const [st] = await sql(fx.stack, `update stations set created_at = '2021-03-01T00:00:00Z' where sn = ? returning id`, [sn]);
    for (const [online, at] of [
      [true, '2021-03-01T01:00:00+05:45'],
      [false, '2021-03-10T10:00:00+05:45'],
      [true, '2021-03-10T12:00:00+05:45'],
    ] as const)
      await sql(fx.stack, `insert into station_presence_log (station_id, online, at) values (?, ?, ?)`, [st.id, online, at]);
    const data = (await get('stations?from=2021-03-10&to=2021-03-10')).body.data;
    const mine = data.stations.find((s: { serial_number: string }) => s.serial_number === sn);
    expect(mine).toMatchObject({ slot_count: 4, offline_minutes: 120, availability_percent: 91.67, rentals: 0, utilisation_percent: 0, failed_ejects: 0 });
  });

  it('when a kiosk reports online twice and then goes silent, then the presence log holds one row per change', async () => {
    const sn = await createTestStation(fx.stack.orm, { online: false });
    const presence = stationPresence(fx.stack.orm);
    await presence.setOnline(sn, true);
    await presence.setOnline(sn, true);
    await sql(fx.stack, `update stations set last_seen_at = now() - interval '10 minutes' where sn = ?`, [sn]);
    await presence.markSilentStationsOffline(60_000, [sn]);
    const rows = await sql(fx.stack, `select l.online from station_presence_log l join stations s on s.id = l.station_id where s.sn = ? order by l.id`, [sn]);
    expect(rows.map((r) => r.online)).toEqual([true, false]);
  });

  it('when analytics are asked without a token, as a customer, or with a bad period, then 401, 403 and 400 in the envelope', async () => {
    expect((await fx.api().get('/api/admin/analytics/dashboard')).status).toBe(401);
    const customer = await get('dashboard', 'customer');
    expect(customer.status).toBe(403);
    expect(customer.body).toMatchObject({ success: false, error: { code: 'PERMISSION_DENIED' } });
    for (const q of ['from=2026-12-02&to=2026-12-01', 'from=2024-01-01&to=2025-06-01', 'from=2026-13-01', 'to=yesterday', 'from=0021-10-19&to=0021-10-20']) {
      const res = await get(`revenue?${q}`);
      expect([q, res.status, res.body.success, res.body.error?.code]).toEqual([q, 400, false, 'VALIDATION_ERROR']);
    }
    for (const path of ['dashboard', 'revenue', 'users', 'stations']) expect((await get(path)).status).toBe(200);
  });

  it('when the platform accounts are read, then the rollup equals the journal per account and source', async () => {
    const [diff] = await sql(
      fx.stack,
      `with j as (select p.account_id, split_part(e.idempotency_key, ':', 1) as source, sum(p.amount_minor) as s
                  from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id
                  where a.owner_type <> 'user' group by 1, 2),
            r as (select account_id, source, sum(in_minor + out_minor) as s from ledger_rollup group by 1, 2)
       select count(*) as n from j full join r using (account_id, source) where j.s is distinct from r.s`,
    );
    expect(Number(diff.n)).toBe(0);
  });
  it('when rentals are written out of order (the renters-per-day rollup), moved, failed and deleted, then the rollup equals the rentals recounted and the dashboard and users analytics equal a brute-force count', async () => {
    const { day, rent, bruteForce } = rollup;
    const pkg = (await ensurePackages(fx.stack)).hour;
    const [u1, u2, u3, u4] = await Promise.all([1, 2, 3, 4].map(() => createUser(fx.stack.orm)));
    await rent(u1, 2, pkg);
    const u1Twice = await rent(u1, 12, pkg);
    await rent(u1, 12, pkg);
    const u1Moved = await rent(u1, 15, pkg);
    await rent(u2, 14, pkg);
    await rent(u2, 11, pkg); // before the day already there: day 14's previous day becomes 11
    await rent(u2, 5, pkg);
    await rent(u3, 3, pkg);
    const u3Gone = await rent(u3, 19, pkg);
    const u4Failed = await rent(u4, 18, pkg);
    await sql(fx.stack, `update rentals set status = 'failed', failure_code = 'DEVICE_TIMEOUT' where id = ?`, [u4Failed]);
    await sql(fx.stack, `update rentals set created_at = ? where id = ?`, [`${day(25)}T12:00:00+05:45`, u1Moved]);
    await sql(fx.stack, `delete from rentals where id in (?, ?)`, [u1Twice, u3Gone]);

    expect((await sql(fx.stack, ROLLUP_DIFF))[0]).toEqual({ days: 0, users: 0, gaps: 0 });

    const [from, to] = [day(11), day(20)];
    const expected = await bruteForce(from, to, day(1));
    // What the test wrote: u1 (12), u2 (11, 14), u4 (18, failed) rented in the period; u1, u2 and u3 in the one before, u1 and u2 came back.
    expect(expected).toMatchObject({ rentals: 4, renters: 3, failed: 1, previous: 3, retained: 2 });

    const users = (await get(`users?from=${from}&to=${to}`)).body.data;
    expect(users.engagement).toEqual({ active_renters: expected.renters, rentals: expected.rentals, renters_by_day: expected.byDay });
    expect(users.retention).toEqual({ previous_period_renters: expected.previous, returned_this_period: expected.retained, rate_percent: 66.67 });
    const dash = (await get(`dashboard?from=${from}&to=${to}`)).body.data;
    expect(dash.users.active_in_period).toBe(expected.renters);
    expect(dash.rentals).toMatchObject({ in_period: expected.rentals, failed_ejects: expected.failed });
  });
});
