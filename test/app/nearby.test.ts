import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { haversineMeters } from '../../src/modules/stations/rules/availability';
import { nearbyQuery, stationListQuery } from '../../src/modules/stations/services/station-query.service';
import { adminStationListQuery } from '../../src/modules/stations/services/station-admin.service';
import { EXACT_TOTAL_CAP, listTotal } from '../../src/kernel/paging';
import { userListQuery } from '../../src/modules/identity/services/user-directory.service';
import { historyQuery } from '../../src/modules/rentals/services/rental-read.service';
import { walletEntriesQuery } from '../../src/modules/ledger/services/wallet-entries';
import { useTestStack } from '../support/fixtures';
import type { TestStack } from '../support/stack';
import { testRandom } from '../support/random';
import { as, sql } from './helpers';

/**
 * Random stations in an empty patch of the South Pacific, so no other test's stations are near:
 * every coordinate comes from the file's seeded random source (its seed is in the describe title).
 */
const random = testRandom();
const CENTER = { lat: -47 + random.next() * 2, lng: -130 + random.next() * 10 };
const SPREAD = 0.6; // degrees either side
const COUNT = 2000;

type Row = { sn: string; latitude: number; longitude: number };
type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
};

/** Every node of the plan PostgreSQL picks for `text` (MikroORM's `?` placeholders numbered for pg). */
async function planNodes(pg: Client, text: string, params: unknown[], analyze = false): Promise<PlanNode[]> {
  let n = 0;
  const numbered = text.replace(/\?/g, () => `$${++n}`);
  const [{ 'QUERY PLAN': plan }] = (await pg.query(`explain (${analyze ? 'analyze, ' : ''}format json) ${numbered}`, params)).rows;
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(plan[0].Plan);
  return nodes;
}

// Not slots: these tests load none, so the planner rightly scans that small table.
const LARGE_TABLES = ['stations', 'users', 'rentals', 'journal_entries', 'journal_postings'];
/** The sequential scans of a large table in a plan (none expected in a list's page or capped count). */
const seqScans = (nodes: PlanNode[]) =>
  nodes.filter((n) => n['Node Type'] === 'Seq Scan' && LARGE_TABLES.includes(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
/**
 * The rows a capped count read from large tables' sequential scans (EXPLAIN ANALYZE): a scan under the count's
 * LIMIT stops after the cap's rows, so it may read a few times the cap, never the whole table.
 */
const seqRowsRead = (nodes: PlanNode[]) =>
  nodes
    .filter((n) => n['Node Type'] === 'Seq Scan' && LARGE_TABLES.includes(n['Relation Name'] ?? ''))
    .reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0), 0);
/** A list's total as listTotal counts it: over a LIMIT of EXACT_TOTAL_CAP + 1 rows. */
const cappedCount = (from: string) => `select count(*) from (select 1 ${from} limit ${EXACT_TOTAL_CAP + 1}) capped`;

async function allPages(stack: TestStack, q: string) {
  const out: { sn: string; distance_m: number }[] = [];
  for (let page = 1; ; page++) {
    const res = await as(stack).get(`/api/app/stations/nearby?${q}&page=${page}&page_size=100`);
    expect(res.status).toBe(200);
    out.push(...res.body.data.results);
    if (page >= res.body.data.pagination.total_pages) return { results: out, total: res.body.data.pagination.total };
  }
}

describe(`nearby station search (cube + earthdistance, GiST), random seed ${random.seed}`, () => {
  const prefix = `NB${randomUUID().slice(0, 6).toUpperCase()}`;
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }, s) => {
    s.defer(() => sql(stack, `delete from stations where sn like ?`, [`${prefix}-%`]));
    const spots = Array.from({ length: COUNT }, (_, i) => ({
      i: i + 1,
      lat: CENTER.lat + (random.next() * 2 - 1) * SPREAD,
      lng: CENTER.lng + (random.next() * 2 - 1) * SPREAD,
      online: random.next() < 0.5,
    }));
    await sql(
      stack,
      `insert into stations (id, sn, name, latitude, longitude, slot_count, online)
      select gen_random_uuid(), ? || '-' || r.i, 'Random ' || r.i, r.lat, r.lng, 0, r.online
      from jsonb_to_recordset(?::jsonb) as r(i int, lat float8, lng float8, online boolean)`,
      [prefix, JSON.stringify(spots)],
    );
    return {
      stations: await sql<Row>(stack, `select sn, latitude, longitude from stations where sn like ? order by split_part(sn, '-', 2)::int`, [`${prefix}-%`]),
    };
  });

  it('when searching around random points, then the results are exactly the stations a brute-force haversine finds, nearest first', async () => {
    expect(fx.stations).toHaveLength(COUNT);
    for (let i = 0; i < 8; i++) {
      // Search from a point a little off a random station of ours, so the circle is never empty
      // (a random point with a 2 km radius finds nothing about one time in eight at this density).
      const anchor = fx.stations[random.int(fx.stations.length)];
      const lat = anchor.latitude + (random.next() * 2 - 1) * 0.005;
      const lng = anchor.longitude + (random.next() * 2 - 1) * 0.005;
      const radius = Math.round(2000 + random.next() * 18000);
      const { results, total } = await allPages(fx.stack, `lat=${lat}&lng=${lng}&radius=${radius}`);
      const brute = fx.stations.map((s) => ({ sn: s.sn, d: haversineMeters(lat, lng, s.latitude, s.longitude) })).filter((s) => s.d <= radius);
      // Stations within a centimetre of the circle may fall either way through floating point.
      const sure = brute
        .filter((s) => s.d < radius - 0.01)
        .map((s) => s.sn)
        .sort();
      // Other test files add stations near Kathmandu at the same time: compare this file's own.
      const got = results.map((r) => r.sn).filter((sn) => sn.startsWith(`${prefix}-`));
      expect(total).toBe(results.length);
      expect(got.filter((sn) => !brute.some((b) => b.sn === sn))).toEqual([]);
      expect(sure.filter((sn) => !got.includes(sn))).toEqual([]);
      expect(got.length).toBeGreaterThan(0);
      const expected = new Map(brute.map((b) => [b.sn, b.d]));
      results.forEach((r, j) => {
        if (expected.has(r.sn)) expect(Math.abs(r.distance_m - expected.get(r.sn)!)).toBeLessThanOrEqual(1);
        if (j > 0) expect(r.distance_m).toBeGreaterThanOrEqual(results[j - 1].distance_m);
      });
    }
  });

  it('when filtering nearby by status, then only matching stations within the radius come back', async () => {
    const { results } = await allPages(fx.stack, `lat=${CENTER.lat}&lng=${CENTER.lng}&radius=30000&status=online`);
    const online = new Set((await sql<{ sn: string }>(fx.stack, `select sn from stations where sn like ? and online`, [`${prefix}-%`])).map((r) => r.sn));
    const mine = results.filter((r) => r.sn.startsWith(`${prefix}-`));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => online.has(r.sn))).toBe(true);
    expect(results.every((r) => (r as { status?: string }).status === 'online')).toBe(true);
  });

  it('when lat, lng or radius are missing or out of range, then 400 with the field named', async () => {
    const res = await as(fx.stack).get('/api/app/stations/nearby?lat=95&lng=10&radius=100000');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['query.lat', 'query.radius']);
    expect((await as(fx.stack).get('/api/app/stations/nearby?lng=10')).status).toBe(400);
  });

  it('when the table holds 100,000 stations, then nearby uses the GiST index and the station lists their order indexes, no plan scanning the table', async () => {
    const pg = new Client({ connectionString: fx.stack.config.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query('begin');
      // The load's positions from PostgreSQL's random(), seeded from the file's seed (same connection).
      await pg.query('select setseed($1)', [random.seed / 2 ** 31]);
      await pg.query(
        `insert into stations (id, sn, name, latitude, longitude, slot_count)
        select gen_random_uuid(), $1 || g, 'Load ' || g, 26.4 + random() * 3.6, 80.1 + random() * 8.1, 0 from generate_series(1, 100000) g`,
        [`${prefix}L`],
      );
      await pg.query('analyze stations');
      const q = nearbyQuery({ lat: 27.7172, lng: 85.324, radius: 3000, page: 1, page_size: 20 });
      const nodes = await planNodes(pg, q.sql, q.params, true);
      expect(nodes.some((n) => n['Index Name'] === 'stations_earth_gist')).toBe(true);
      expect(seqScans(nodes)).toEqual([]);
      // The station lists (issue 16): each page read in its index's order, each total counted over a LIMIT.
      const lists = [
        stationListQuery({ page: 1, page_size: 20, ordering: 'name' }),
        stationListQuery({ page: 3, page_size: 20, ordering: 'newest', status: 'online' }),
        stationListQuery({ page: 1, page_size: 20, ordering: 'name', has_available: true }),
        adminStationListQuery({ page: 2, page_size: 20, status: 'offline' }, 50),
      ];
      for (const [i, l] of lists.entries()) {
        expect(seqScans(await planNodes(pg, l.sql, l.params))).toEqual([]);
        // has_available counts over every station's bays until the cap is met: with none available here it reads them all (a known limit).
        if (i === 2) continue;
        const read = seqRowsRead(await planNodes(pg, cappedCount(l.countFrom), l.countParams, true));
        expect({ count: l.countFrom, read: Math.min(read, 10 * EXACT_TOTAL_CAP) }).toEqual({ count: l.countFrom, read });
        expect(read).toBeLessThan(10 * EXACT_TOTAL_CAP);
      }
      // listTotal over this transaction: above the cap the planner's estimate of the 100k (and other files' few), below it exact.
      const exec = async (text: string, params: unknown[] = []) => {
        let k = 0;
        return (
          await pg.query(
            text.replace(/\?/g, () => `$${++k}`),
            params,
          )
        ).rows;
      };
      const estimated = await listTotal(exec, lists[0].countFrom, lists[0].countParams);
      expect(estimated).toBeGreaterThan(90_000);
      expect(estimated).toBeLessThan(150_000);
      expect(await listTotal(exec, 'from stations s where s.sn like ?', [`${prefix}-1_`])).toBe(10);
      const byName = await planNodes(pg, lists[0].sql, lists[0].params);
      expect(byName.some((n) => n['Index Name'] === 'stations_active_name')).toBe(true);
      expect(byName.filter((n) => n['Node Type'] === 'Sort')).toEqual([]);
    } finally {
      await pg.query('rollback');
      await pg.end();
    }
  });

  it('when 40,000 users, rentals and journal entries are stored, then the user, rental history and transaction lists plan no sequential scan of them', async () => {
    const pg = new Client({ connectionString: fx.stack.config.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query('begin');
      // Rows only for the planner, rolled back: no trigger (the rollup's locks, the ledger's balance check) runs for them.
      await pg.query('set local session_replication_role = replica');
      await pg.query('select setseed($1)', [random.seed / 2 ** 31]);
      await pg.query(
        `create temp table plan_users on commit drop as select g, gen_random_uuid() id, now() - random() * interval '400 days' made from generate_series(1, 40000) g`,
      );
      await pg.query(`insert into users (id, username, role, status, created_at) select id, $1 || g, 'customer', 'active', made from plan_users`, [
        `${prefix}u`,
      ]);
      await pg.query(
        `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, payment_status, price_minor,
                              duration_minutes, price_cap_minor, started_at, due_at, created_at)
         select gen_random_uuid(), u.id, $1::text, 1, $1::text || u.g, gen_random_uuid(), 'pre_payment', 'wallet_only', 'completed', 'paid', 2000, 60, 2000, u.made, u.made, u.made
         from plan_users u, generate_series(1, 1) g`,
        [`${prefix}R`],
      );
      await pg.query(
        `insert into ledger_accounts (id, owner_type, owner_id, kind, currency) select id, 'user', id::text, 'wallet', 'NPR' from plan_users where g % 100 = 0`,
      );
      await pg.query(`insert into journal_entries (id, idempotency_key, type, user_id, created_at) select id, $1 || g, 'topup', id, made from plan_users`, [
        `${prefix}j`,
      ]);
      await pg.query(
        `insert into journal_postings (entry_id, account_id, amount_minor, currency, balance_after_minor) select id, id, 100, 'NPR', 0 from plan_users`,
      );
      await pg.query('analyze users; analyze rentals; analyze journal_entries; analyze journal_postings; analyze ledger_accounts');
      const [{ id: rider }] = (await pg.query('select id from plan_users where g = 100')).rows;
      const users = userListQuery({ page: 2, page_size: 20, ordering: 'newest', role: 'customer' });
      const history = historyQuery(rider, { page: 1, page_size: 20 });
      const wallet = walletEntriesQuery(rider, rider, {}, 20); // the plan's wallets share their owner's id
      const statements: [string, unknown[]][] = [
        [users.sql, [...users.params, 20, 20]],
        [history.sql, history.params],
        [cappedCount(history.countFrom), history.countParams],
        [wallet.sql, wallet.params],
        [cappedCount(wallet.from), wallet.fromParams],
      ];
      for (const [text, params] of statements) expect({ text, seq: seqScans(await planNodes(pg, text, params)) }).toEqual({ text, seq: [] });
      expect(seqRowsRead(await planNodes(pg, cappedCount(users.countFrom), users.params, true))).toBeLessThan(10 * EXACT_TOTAL_CAP);
      const historyPlan = await planNodes(pg, history.sql, history.params);
      expect(historyPlan.some((n) => n['Index Name'] === 'rentals_user_id_created_at_index')).toBe(true);
      const walletPlan = await planNodes(pg, wallet.sql, wallet.params);
      expect(walletPlan.some((n) => n['Index Name'] === 'journal_entries_user_id_created_at_index')).toBe(true);
    } finally {
      await pg.query('rollback');
      await pg.end();
    }
  });
});
