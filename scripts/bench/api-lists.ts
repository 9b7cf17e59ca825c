import { RENTAL_ACTIVITY_REBUILD } from '../../src/db/migrations/Migration20261202061000_rental_activity_rollup';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import type { BenchStack } from './stack';

/** The rider whose lists are measured: a heavy one, with 1 in 1,000 of the generated rentals and journal entries. */
export const HEAVY_RIDER = '00000000-0000-4000-8000-00000000b001';

/** `users` customers with wallets, and the heavy rider. */
const usersSql = (users: number) => `
  insert into users (id, username, role, status, created_at)
    select gen_random_uuid(), 'bl' || g, 'customer', 'active', now() - random() * interval '400 days' from generate_series(1, ${users}) g;
  insert into users (id, username, role, status, created_at) values ('${HEAVY_RIDER}', 'bench-heavy', 'customer', 'active', now() - interval '400 days');
  insert into ledger_accounts (owner_type, owner_id, kind, currency, guarded)
    select 'user', id::text, 'wallet', 'NPR', true from users where username like 'bl%' or id = '${HEAVY_RIDER}';
  insert into ledger_accounts (owner_type, owner_id, kind, currency, guarded) values ('system', 'platform', 'revenue', 'NPR', false) on conflict do nothing;
  create temp table bench_list_users on commit drop as select row_number() over () as n, id from users where username like 'bl%';`;

/** `n` rentals over the last year at the `stations` bench stations; every 1,000th is the heavy rider's. */
const rentalsSql = (n: number, stations: number, users: number) => `
  insert into rental_packages (id, code, name, duration_minutes, price_minor) values (gen_random_uuid(), 'bench-1h', '1 hour', 60, 2000) on conflict do nothing;
  alter table rentals disable trigger rentals_activity_rollup;
  insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, payment_status, price_minor,
                       duration_minutes, price_cap_minor, started_at, due_at, returned_at, ended_at, created_at)
    select gen_random_uuid(), case when r.g % 1000 = 0 then '${HEAVY_RIDER}'::uuid else u.id end, 'BN' || lpad((1 + r.g % ${stations})::text, 6, '0'), 1,
           'PBL' || r.g, (select id from rental_packages where code = 'bench-1h'), 'pre_payment', 'wallet_only', 'completed', 'paid', 2000, 60, 2000,
           r.t, r.t + interval '1 hour', r.t + interval '50 minutes', r.t + interval '50 minutes', r.t
    from (select g, now() - random() * interval '365 days' as t, 1 + floor(random() * ${users})::int as un from generate_series(1, ${n}) g) r
    join bench_list_users u on u.n = r.un;
  alter table rentals enable trigger rentals_activity_rollup;
  ${RENTAL_ACTIVITY_REBUILD.join('\n')}`;

/** `n` journal entries (rental charges and top-ups), two postings each; every 1,000th is the heavy rider's. */
const journalSql = (n: number, users: number) => `
  create temp table bench_list_moves on commit drop as
    select gen_random_uuid() as id, g, case when g % 1000 = 0 then '${HEAVY_RIDER}'::uuid else u.id end as user_id,
           now() - random() * interval '365 days' as at, case when g % 5 = 0 then 'topup' else 'rental_charge' end as type
    from (select g, 1 + floor(random() * ${users})::int as un from generate_series(1, ${n}) g) m join bench_list_users u on u.n = m.un;
  insert into journal_entries (id, idempotency_key, type, user_id, created_at) select id, 'bench-list:' || g, type, user_id, at from bench_list_moves;
  insert into journal_postings (entry_id, account_id, amount_minor, currency, balance_after_minor)
    select m.id, a.id, case when m.type = 'topup' then 50000 else -2000 end, 'NPR', 0
    from bench_list_moves m join ledger_accounts a on a.owner_type = 'user' and a.owner_id = m.user_id::text and a.kind = 'wallet' and a.currency = 'NPR'
    union all
    select m.id, (select id from ledger_accounts where owner_type = 'system' and owner_id = 'platform' and kind = 'revenue' and currency = 'NPR'),
           case when m.type = 'topup' then -50000 else 2000 end, 'NPR', 0
    from bench_list_moves m;`;

/**
 * Customers (100k at 1M rentals), `rentals` rentals and `entries` journal entries (each with its two postings) for
 * the list benchmarks, generated in SQL in one transaction and kept in the bench's PostgreSQL data
 * folder like the stations (a second run loads nothing). Returns the seconds spent loading (0 when cached).
 */
export async function loadBenchLists(stack: BenchStack, sizes: { stations: number; rentals: number; entries: number }): Promise<number> {
  const conn = stack.orm.em.getConnection();
  const [{ loaded }] = await conn.execute(`select count(*)::int as loaded from users where id = ?`, [HEAVY_RIDER]);
  if (loaded) {
    const [{ n }] = await conn.execute(`select count(*)::int as n from rentals where power_bank_sn like 'PBL%'`);
    if (n !== sizes.rentals) throw new Error(`the cached data has ${n} bench rentals, not ${sizes.rentals}: remove .data/bench-api to load again`);
    return 0;
  }
  const started = Date.now();
  const users = benchCustomers(sizes.rentals);
  await conn.transactional((trx) =>
    conn.execute(`${usersSql(users)}\n${rentalsSql(sizes.rentals, sizes.stations, users)}\n${journalSql(sizes.entries, users)}`, [], 'run', trx),
  );
  await conn.execute(`analyze users; analyze rentals; analyze journal_entries; analyze journal_postings; analyze ledger_accounts`);
  return (Date.now() - started) / 1000;
}

/** Customers the rentals are spread over: 100k at the full size (1M rentals); the smoke size keeps ten rentals a customer. */
export const benchCustomers = (rentals: number) => Math.min(100_000, Math.max(100, Math.round(rentals / 10)));

/** A session of the heavy rider. */
export async function heavyRiderToken(stack: BenchStack): Promise<string> {
  const pair = await new AuthTokenService({ orm: stack.orm, config: stack.config }).startSession({ id: HEAVY_RIDER, role: 'customer' });
  return pair.access_token;
}
