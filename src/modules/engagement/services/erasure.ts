import type { Execute } from '../../../kernel/sql';

/**
 * Engagement's part of erasing a person (identity's erasure transaction): their notifications and
 * push logs go; their uploads are marked erased, and PrivateMediaService.purgeErased deletes the
 * files and rows once the transaction has committed.
 */
export async function eraseEngagementData(userId: string, tx: Execute): Promise<void> {
  await tx('delete from fcm_logs where user_id = ?', [userId]);
  await tx('delete from notifications where user_id = ?', [userId]);
  await tx('update media_uploads set erased_at = now() where user_id = ? and erased_at is null', [userId]);
}

/** Unread in-app notifications, for a user's usage numbers. */
export async function unreadNotificationCount(tx: Execute, userId: string): Promise<number> {
  const [row] = await tx(`select count(*)::int as n from notifications where user_id = ? and in_app and read_at is null`, [userId]);
  return row.n;
}
