import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { liveStationSecrets } from './station-secrets';

/** The initial secret of a demo station (dev data and `npm run sim:water` only): HMAC-SHA256(WATER_STATION_SECRET, stationId), hex. */
export const stationSecret = (rootSecret: string, stationId: string) => createHmac('sha256', rootSecret).update(`water-station:${stationId}`).digest('hex');

/** What a station signs: timestamp, nonce, method, path with query, and the SHA-256 of the raw body. */
export function stationSignature(
  secret: string,
  r: { timestamp: string; nonce: string; method: string; path: string; body: Buffer | string | undefined },
): string {
  const bodyHash = createHash('sha256')
    .update(r.body ?? '')
    .digest('hex');
  return createHmac('sha256', secret).update(`${r.timestamp}\n${r.nonce}\n${r.method.toUpperCase()}\n${r.path}\n${bodyHash}`).digest('hex');
}

/** The headers a station sends (`X-Station-Id`, `X-Timestamp` in unix seconds, `X-Nonce` new for each request, `X-Signature`). */
export function signStationRequest(
  secret: string,
  stationId: string,
  method: string,
  path: string,
  body = '',
  now = Date.now(),
  nonce = randomBytes(16).toString('hex'),
) {
  const timestamp = String(Math.floor(now / 1000));
  return {
    'x-station-id': stationId,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': stationSignature(secret, { timestamp, nonce, method, path, body }),
  };
}

const MAX_SKEW_SECONDS = 300;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const refuse = (message: string) => new AppError('STATION_UNAUTHORIZED', message, 401);

function signedBy(secrets: string[], sig: string, r: Parameters<typeof stationSignature>[1]): boolean {
  const given = Buffer.from(/^[0-9a-f]{64}$/i.test(sig) ? sig : '', 'hex');
  return secrets.some((s) => {
    const expected = Buffer.from(stationSignature(s, r), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Checks a station's signed request: a known, active station, a stamp within 5 minutes, an HMAC
 * over the exact request under one of the station's live secrets (the current one, or the previous
 * during a rotation's overlap), and a nonce not seen in the window (a replay is refused). Returns the station id.
 */
export async function authenticateStation(
  orm: MikroORM,
  atRestKey: string,
  r: { headers: Record<string, string | undefined>; method: string; path: string; body: Buffer | undefined },
  now = Date.now(),
): Promise<string> {
  const { 'x-station-id': id, 'x-timestamp': ts, 'x-nonce': nonce, 'x-signature': sig } = r.headers;
  if (!id || !ts || !sig || !nonce) throw refuse('Station credentials required (X-Station-Id, X-Timestamp, X-Nonce, X-Signature)');
  if (!/^\d{9,11}$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > MAX_SKEW_SECONDS) throw refuse('X-Timestamp is missing or more than 5 minutes off');
  if (!NONCE.test(nonce)) throw refuse('X-Nonce must be 16 to 64 letters, digits, _ or -');
  const q = executor(orm);
  const [station] = await q(`select active from water_stations where station_id = ?`, [id]);
  if (!station?.active) throw refuse('Unknown or inactive station');
  const secrets = await liveStationSecrets(q, atRestKey, id);
  if (!signedBy(secrets, sig, { timestamp: ts, nonce, method: r.method, path: r.path, body: r.body })) throw refuse('Invalid station signature');
  // Remembered past the window of any timestamp it could be replayed with; older ones are dropped as we go.
  await q(`delete from water_request_nonces where seen_at < now() - interval '11 minutes'`);
  const fresh = await q(`insert into water_request_nonces (station_id, nonce) values (?, ?) on conflict do nothing returning nonce`, [id, nonce]);
  if (!fresh.length) throw refuse('Replayed request: this X-Nonce was already used');
  return id;
}
