import type { EntityManager } from '@mikro-orm/postgresql';

/** The FCM registration tokens of a user's devices. */
export type DeviceTokenSource = (em: EntityManager, userId: string) => Promise<string[]>;

/**
 * Reads `user_devices(user_id, fcm_token)`, the device registry of POST /api/auth/device (owned by
 * the authentication module); no tokens while that table does not exist.
 */
export const sqlDeviceTokens: DeviceTokenSource = async (em, userId) => {
  const conn = em.getConnection();
  const [reg] = await conn.execute<{ t: string | null }[]>(`select to_regclass('public.user_devices')::text as t`);
  if (!reg?.t) return [];
  const rows = await conn.execute<{ fcm_token: string }[]>(
    `select distinct fcm_token from user_devices where user_id = ? and fcm_token is not null and fcm_token <> ''`, [userId]);
  return rows.map((r) => r.fcm_token);
};
