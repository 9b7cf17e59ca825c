import { addAccountErasureStep } from '../../modules/identity/services/user-lifecycle';

/**
 * What "erase my personal data" means for profiles, KYC and engagement: the rows that describe
 * the person go; reports they filed stay, unattributed; uploads are detached from them.
 * Runs inside the identity module's erasure transaction (DELETE /api/auth/account).
 */
let registered = false;
export function registerEngagementErasure(): void {
  if (registered) return;
  registered = true;
  addAccountErasureStep(async (userId, tx) => {
    for (const table of ['user_profiles', 'kyc_submissions', 'station_favorites', 'fcm_logs', 'notifications']) {
      await tx(`delete from ${table} where user_id = ?`, [userId]);
    }
    await tx('update station_issue_reports set user_id = null where user_id = ?', [userId]);
    await tx('update media_uploads set user_id = null where user_id = ?', [userId]);
  });
}
