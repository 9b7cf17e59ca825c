import type { EntityManager } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';

/** The FCM registration tokens of a user's devices: `user_devices` rows of POST /api/auth/device. */
export async function userDeviceTokens(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em
    .getConnection()
    .execute<{ fcm_token: string }[]>(`select distinct fcm_token from user_devices where user_id = ? and fcm_token is not null and fcm_token <> ''`, [userId]);
  return rows.map((r) => r.fcm_token);
}

/** Which of these users have at least one registered device (an admin broadcast's push recipients in a batch). */
export async function usersWithDevices(tx: Execute, userIds: string[]): Promise<string[]> {
  if (!userIds.length) return [];
  const rows = await tx(`select distinct user_id from user_devices where user_id = any(?::uuid[]) and fcm_token is not null and fcm_token <> ''`, [
    `{${userIds.join(',')}}`,
  ]);
  return rows.map((r) => String(r.user_id));
}
