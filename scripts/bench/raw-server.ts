import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { nearbyQuery, stationDto } from '../../src/modules/stations/services/station-query.service';
import { DEFAULT_MIN_BATTERY_PERCENT } from '../../src/config/rentals';

/** `?` placeholders (MikroORM's) → `$1, $2...` (node-postgres'). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The yardstick for `GET /api/app/stations/nearby`: a bare `node:http` server and a `pg` pool
 * running the very same two statements (nearbyQuery: the page and its count) and answering the same
 * JSON shape, with no framework, validation, auth, logging or metrics.
 */
export async function startRawNearbyServer(databaseUrl: string, poolSize: number) {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://raw');
    const q = {
      lat: Number(url.searchParams.get('lat')),
      lng: Number(url.searchParams.get('lng')),
      radius: Number(url.searchParams.get('radius') ?? 5000),
      page: 1,
      page_size: 20,
    };
    const { sql, params, countSql, countParams } = nearbyQuery(q, DEFAULT_MIN_BATTERY_PERCENT);
    Promise.all([pool.query(numbered(countSql), countParams), pool.query(numbered(sql), params)]).then(
      ([count, rows]) => {
        const body = { success: true, data: { results: rows.rows.map(stationDto), total: count.rows[0].total, origin: { lat: q.lat, lng: q.lng } } };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}
