import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';

/** A station's secret, handed to it when it is provisioned: HMAC-SHA256(WATER_STATION_SECRET, stationId), hex. */
export const stationSecret = (rootSecret: string, stationId: string) => createHmac('sha256', rootSecret).update(`water-station:${stationId}`).digest('hex');

/** What a station signs: timestamp, method, path with query, and the SHA-256 of the raw body. */
export function stationSignature(secret: string, r: { timestamp: string; method: string; path: string; body: Buffer | string | undefined }): string {
  const bodyHash = createHash('sha256')
    .update(r.body ?? '')
    .digest('hex');
  return createHmac('sha256', secret).update(`${r.timestamp}\n${r.method.toUpperCase()}\n${r.path}\n${bodyHash}`).digest('hex');
}

/** The headers a station sends (`X-Station-Id`, `X-Timestamp` in unix seconds, `X-Signature`). */
export function signStationRequest(secret: string, stationId: string, method: string, path: string, body = '', now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000));
  return { 'x-station-id': stationId, 'x-timestamp': timestamp, 'x-signature': stationSignature(secret, { timestamp, method, path, body }) };
}

const MAX_SKEW_SECONDS = 300;
const refuse = (message: string) => new AppError('STATION_UNAUTHORIZED', message, 401);

/**
 * Checks a station's signed request: a known, active station, a stamp within 5 minutes and an
 * HMAC over the exact request. Returns the station id.
 */
export async function authenticateStation(
  orm: MikroORM,
  rootSecret: string,
  r: { headers: Record<string, string | undefined>; method: string; path: string; body: Buffer | undefined },
  now = Date.now(),
): Promise<string> {
  const id = r.headers['x-station-id'];
  const ts = r.headers['x-timestamp'];
  const sig = r.headers['x-signature'];
  if (!id || !ts || !sig) throw refuse('Station credentials required (X-Station-Id, X-Timestamp, X-Signature)');
  if (!/^\d{9,11}$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > MAX_SKEW_SECONDS) throw refuse('X-Timestamp is missing or more than 5 minutes off');
  const expected = Buffer.from(stationSignature(stationSecret(rootSecret, id), { timestamp: ts, method: r.method, path: r.path, body: r.body }), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/i.test(sig) ? sig : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('Invalid station signature');
  const [station] = await executor(orm)(`select active from water_stations where station_id = ?`, [id]);
  if (!station?.active) throw refuse('Unknown or inactive station');
  return id;
}
