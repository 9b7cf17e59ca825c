import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrateUp } from '../src/db/orm';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres';
import { RENTAL_ACTIVITY_REBUILD } from '../src/db/migrations/Migration20261202061000_rental_activity_rollup';
import { createAdminAnalytics } from '../src/workers/compose/admin-analytics';

/**
 * `npm run bench:analytics`: generates BENCH_USERS customers (100k), BENCH_RENTALS rentals (1M) over
 * the last year with their journal (usage, extensions, fines, refunds, top-ups; ~1.2M entries) and
 * rollup, 300 stations with a year of presence changes, in an embedded PostgreSQL of its own; then
 * times each admin analytics query (the real readers) for 30 and 365 days, and for comparison the
 * revenue summed straight from the journal and the rental/user queries without their indexes. The
 * rentals go in with the renters-per-day trigger off and the rollup rebuilt as the migration
 * backfills it (the trigger's own cost per rental is timed at the end).
 */
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const RENTALS = Number(process.env.BENCH_RENTALS ?? 1_000_000);
const STATIONS = 300;
const RUNS = 5;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function step(orm: MikroORM, what: string, sql: string) {
  const t = performance.now();
  await orm.em.getConnection().execute(sql);
  log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** Users, profiles, KYC, stations, presence, rentals: the tables the readers query. */
async function generateOperations(orm: MikroORM) {
  await step(
    orm,
    `${USERS} users (60% profiles, 30% KYC)`,
    `insert into users (id, username, email, role, created_at) select gen_random_uuid(), 'bu' || g, 'bu' || g || '@bench.local', 'customer', now() - random() * interval '400 days' from generate_series(1, ${USERS}) g;
     insert into user_profiles (user_id, full_name, date_of_birth, gender, address_line, city) select id, 'Bench', '1990-01-01', 'male', 'Street', 'Kathmandu' from users where random() < 0.6;
     insert into kyc_submissions (id, user_id, citizenship_number, document_front_url, document_back_url, status, created_at)
       select gen_random_uuid(), id, 'C' || row_number() over (), 'f', 'b', case when random() < 0.7 then 'approved' else 'pending' end, created_at + interval '1 day' from users where random() < 0.3;`,
  );
  await step(
    orm,
    `${STATIONS} stations, a year of presence changes`,
    `insert into stations (id, sn, name, latitude, longitude, slot_count, online, created_at) select gen_random_uuid(), 'BS' || g, 'Bench ' || g, 27.7, 85.3, 8, g % 10 <> 0, now() - interval '400 days' from generate_series(1, ${STATIONS}) g;
     insert into station_presence_log (station_id, online, at) select s.id, g % 2 = 0, now() - interval '365 days' + g * interval '6 hours' + (s.n % 60) * interval '1 minute' from (select id, row_number() over () as n from stations) s, generate_series(0, 1459) g order by 3;`,
  );
  await step(
    orm,
    `${RENTALS} rentals`,
    `insert into rental_packages (id, code, name, duration_minutes, price_minor) values (gen_random_uuid(), 'bench-1h', '1 hour', 60, 2000) on conflict do nothing;
     alter table rentals disable trigger rentals_activity_rollup;
     create temp table bench_users as select row_number() over () as n, id from users;
     create temp table bench_stations as select row_number() over () as n, sn from stations;
     insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, payment_status, price_minor, duration_minutes, price_cap_minor,
                          failure_code, started_at, due_at, returned_at, ended_at, created_at)
       select gen_random_uuid(), u.id, s.sn, 1, 'PB' || r.g, (select id from rental_packages where code = 'bench-1h'), 'pre_payment', 'wallet_only',
              case when r.x < 0.03 then 'failed' when r.x < 0.04 then 'lost' else 'completed' end, 'paid', 2000, 60, 2000,
              case when r.x < 0.03 then 'DEVICE_TIMEOUT' end, r.t, r.t + interval '1 hour', case when r.x >= 0.04 then r.t + random() * interval '2 hours' end, r.t + interval '2 hours', r.t
       from (select g, random() as x, now() - random() * interval '365 days' as t, 1 + floor(random() * ${USERS})::int as un, 1 + floor(random() * ${STATIONS})::int as sn
             from generate_series(1, ${RENTALS}) g) r
       join bench_users u on u.n = r.un join bench_stations s on s.n = r.sn;
     alter table rentals enable trigger rentals_activity_rollup;`,
  );
  await step(orm, 'renters-per-day rollup (rebuilt from the rentals)', RENTAL_ACTIVITY_REBUILD.join('\n'));
}

/** What the renters-per-day trigger adds to writing rentals: 20k rentals inserted without it, then with it. */
async function triggerCost(orm: MikroORM) {
  log('\nThe renters-per-day trigger, 20,000 rentals of random users today (one statement, the trigger fires per row):');
  const insert = `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, payment_status, price_minor, duration_minutes, price_cap_minor, created_at)
    select gen_random_uuid(), u.id, 'BS1', 1, 'PBT' || g, (select id from rental_packages where code = 'bench-1h'), 'pre_payment', 'wallet_only', 'completed', 'paid', 2000, 60, 2000, now()
    from generate_series(1, 20000) g join (select row_number() over () as n, id from users) u on u.n = 1 + (g * 7919) % ${USERS}`;
  await step(
    orm,
    'without the trigger',
    `alter table rentals disable trigger rentals_activity_rollup; ${insert}; delete from rentals where power_bank_sn like 'PBT%'`,
  );
  await step(orm, 'with the trigger', `alter table rentals enable trigger rentals_activity_rollup; ${insert}`);
}

/** The journal of those rentals (usage, 10% extensions, 5% fines, 2% refunds) and 200k top-ups, then the rollup as the migration backfills it. */
async function generateJournal(orm: MikroORM) {
  await step(
    orm,
    'journal (entries + postings) and rollup',
    `insert into ledger_accounts (owner_type, owner_id, kind, currency, guarded) select 'user', id::text, 'wallet', 'NPR', true from users;
     insert into ledger_accounts (owner_type, owner_id, kind, currency, guarded) values ('system', 'platform', 'revenue', 'NPR', false), ('system', 'platform', 'fines', 'NPR', false), ('gateway', 'khalti', 'gateway_clearing', 'NPR', false) on conflict do nothing;
     create temp table bench_moves as
       select gen_random_uuid() as id, 'rental-usage:' || r.id as key, 'rental_charge' as type, r.user_id, r.created_at + interval '2 hours' as at, 2000 as amount, 'revenue' as kind from rentals r where r.status <> 'failed'
       union all select gen_random_uuid(), 'rental-extend:' || r.id || ':1', 'rental_charge', r.user_id, r.created_at + interval '30 minutes', 1500, 'revenue' from rentals r where random() < 0.10
       union all select gen_random_uuid(), 'rental-fine:' || r.id, 'fine', r.user_id, r.created_at + interval '2 hours', 500, 'fines' from rentals r where random() < 0.05
       union all select gen_random_uuid(), 'refund:rental-usage:' || r.id, 'refund', r.user_id, r.created_at + interval '3 hours', -2000, 'revenue' from rentals r where random() < 0.02
       union all select gen_random_uuid(), 'topup:' || gen_random_uuid(), 'topup', u.id, now() - random() * interval '365 days', -50000, 'gateway_clearing' from users u, generate_series(1, 2) g;
     insert into journal_entries (id, idempotency_key, type, user_id, created_at) select id, key, type, user_id, at from bench_moves;
     insert into journal_postings (entry_id, account_id, amount_minor, currency, balance_after_minor)
       select m.id, a.id, -m.amount, 'NPR', 0 from bench_moves m join ledger_accounts a on a.owner_type = 'user' and a.owner_id = m.user_id::text and a.kind = 'wallet' and a.currency = 'NPR'
       union all select m.id, a.id, m.amount, 'NPR', 0 from bench_moves m join ledger_accounts a on a.owner_type <> 'user' and a.kind = m.kind and a.currency = 'NPR';
     update ledger_accounts set balance_minor = -5000 where owner_type = 'user' and random() < 0.05;
     insert into ledger_rollup (bucket, account_id, source, in_minor, out_minor, postings)
       select date_bin('15 minutes', e.created_at, timestamptz '2000-01-01 00:00:00+00'), p.account_id, split_part(e.idempotency_key, ':', 1),
              coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0), coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0), count(*)
       from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id where a.owner_type <> 'user' group by 1, 2, 3;`,
  );
}

async function time(what: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  log(`  ${what.padEnd(58)} median ${ms[Math.floor(RUNS / 2)].toFixed(1).padStart(8)} ms   max ${ms[RUNS - 1].toFixed(1).padStart(8)} ms`);
}

const INDEXES = ['rentals_created_at_index', 'users_created_at_index'];

async function measure(orm: MikroORM) {
  const analytics = createAdminAnalytics(orm, 'NPR', 'Asia/Kathmandu');
  const to = await analytics.today();
  const from30 = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const from365 = new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const run = async (label: string) => {
    log(`\n${label}`);
    for (const [days, from] of [
      [30, from30],
      [366, from365],
    ] as const) {
      for (const q of ['dashboard', 'revenue', 'users', 'stations'] as const) await time(`${q} (${days} days)`, () => analytics[q]({ from, to }));
    }
  };
  await run('With the rollup and indexes (as shipped):');
  const journalRevenue = (from: string) =>
    orm.em.getConnection().execute(
      `select to_char(e.created_at at time zone 'Asia/Kathmandu', 'YYYY-MM-DD'), a.kind, split_part(e.idempotency_key, ':', 1), sum(p.amount_minor)
       from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id = p.account_id
       where a.owner_type = 'system' and a.kind in ('revenue', 'fines') and e.created_at >= (?::date)::timestamp at time zone 'Asia/Kathmandu' group by 1, 2, 3`,
      [from],
    );
  log('\nFor comparison, revenue summed straight from the journal (no rollup):');
  await time('journal revenue (30 days)', () => journalRevenue(from30));
  await time('journal revenue (366 days)', () => journalRevenue(from365));
  for (const name of INDEXES)
    await orm.em
      .getConnection()
      .execute(`alter index ${name} rename to ${name}_off; update pg_index set indisvalid = false where indexrelid = '${name}_off'::regclass`);
  await run('Without the new rentals/users indexes:');
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stationflow-bench-analytics-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  const orm = await initOrm(pg.url, { pool: { min: 1, max: 8 } });
  try {
    await migrateUp(orm);
    log(`Generating on ${os.cpus().length} cores (${pg.url}):`);
    await generateOperations(orm);
    await generateJournal(orm);
    // What autovacuum does in production: statistics, and the visibility map index-only scans rely on.
    await step(orm, 'vacuum analyze', 'vacuum analyze');
    const [c] = await orm.em
      .getConnection()
      .execute(
        `select (select count(*) from users) u, (select count(*) from rentals) r, (select count(*) from journal_entries) e, (select count(*) from journal_postings) p, (select count(*) from ledger_rollup) b`,
      );
    log(`  rows: users ${c.u}, rentals ${c.r}, journal entries ${c.e}, postings ${c.p}, rollup rows ${c.b}`);
    await measure(orm);
    await triggerCost(orm);
  } finally {
    await orm.close(true);
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
