import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { executor, type Execute } from '../../../kernel/sql';

/**
 * Each station signs with a secret of its own. It is stored encrypted (AES-256-GCM, the key being
 * SHA-256 of WATER_STATION_SECRET: `v1.<iv>.<tag>.<ciphertext>`, base64url), never in clear, and
 * handed out once when an admin provisions or rotates it. A rotation keeps the previous secret
 * valid for an overlap window (`expires_at`), so the station can switch without a refused request.
 */
const keyOf = (atRestKey: string) => createHash('sha256').update(`water-station-secrets:${atRestKey}`).digest();

export function sealSecret(atRestKey: string, secret: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyOf(atRestKey), iv);
  const data = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return ['v1', iv, c.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function openSecret(atRestKey: string, sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1') throw new Error('unknown station secret format');
  const d = createDecipheriv('aes-256-gcm', keyOf(atRestKey), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
}

/** The secrets a station may sign with now: the current one and, during an overlap, the previous. */
export async function liveStationSecrets(q: Execute, atRestKey: string, stationId: string): Promise<string[]> {
  const rows = await q(
    `select secret_enc from water_station_secrets where station_id = ? and (expires_at is null or expires_at > now()) order by created_at desc`,
    [stationId],
  );
  return rows.map((r: { secret_enc: string }) => openSecret(atRestKey, r.secret_enc));
}

/**
 * Provisions (first time) or rotates a station's secret and returns the new one, once. The secrets
 * in use end after `overlapMs` (the station switches meanwhile). `secret` is given only by the demo
 * data; otherwise 32 random bytes, hex.
 */
export async function rotateStationSecret(orm: MikroORM, atRestKey: string, stationId: string, overlapMs: number, secret?: string) {
  const q = executor(orm);
  const [station] = await q(`select station_id from water_stations where station_id = ?`, [stationId]);
  if (!station) throw new AppError('STATION_NOT_FOUND', 'Water station not found', 404);
  const fresh = secret ?? randomBytes(32).toString('hex');
  const [ended] = await q(
    `with old as (update water_station_secrets set expires_at = now() + (? * interval '1 millisecond') where station_id = ? and (expires_at is null or expires_at > now() + (? * interval '1 millisecond')) returning expires_at)
     select max(expires_at) as until from old`,
    [overlapMs, stationId, overlapMs],
  );
  await q(`insert into water_station_secrets (station_id, secret_enc) values (?, ?)`, [stationId, sealSecret(atRestKey, fresh)]);
  return { stationId, secret: fresh, previousValidUntil: ended?.until ? new Date(ended.until).toISOString() : null };
}
