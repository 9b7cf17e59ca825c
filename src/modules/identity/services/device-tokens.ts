import type { EntityManager } from '@mikro-orm/postgresql';

/** The FCM registration tokens of a user's devices: `user_devices` rows of POST /api/auth/device. */
export async function userDeviceTokens(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em
    .getConnection()
    .execute<{ fcm_token: string }[]>(`select distinct fcm_token from user_devices where user_id = ? and fcm_token is not null and fcm_token <> ''`, [userId]);
  return rows.map((r) => r.fcm_token);
}
