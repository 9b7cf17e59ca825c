import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { haversineMeters } from '../../src/modules/stations/rules/availability';
import { nearbyQuery } from '../../src/modules/stations/services/station-query.service';
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

  it('when the table holds 100,000 stations, then the planner answers nearby with the GiST index, without a sequential scan', async () => {
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
      let n = 0;
      const text = q.sql.replace(/\?/g, () => `$${++n}`);
      const [{ 'QUERY PLAN': plan }] = (await pg.query(`explain (analyze, format json) ${text}`, q.params)).rows;
      type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
      const nodes: PlanNode[] = [];
      const walk = (n: PlanNode) => {
        nodes.push(n);
        n.Plans?.forEach(walk);
      };
      walk(plan[0].Plan);
      expect(nodes.some((n) => n['Index Name'] === 'stations_earth_gist')).toBe(true);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'stations')).toEqual([]);
    } finally {
      await pg.query('rollback');
      await pg.end();
    }
  });
});
