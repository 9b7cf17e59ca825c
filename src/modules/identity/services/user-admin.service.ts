import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, Errors } from '../../../kernel/errors';
import { isoOrNull } from '../../../kernel/present';
import { executor, inTransaction, type Execute } from '../../../kernel/sql';

/** What an admin may set; `deleted` is reached only through account erasure. */
export const ADMIN_USER_STATUSES = ['active', 'banned', 'suspended'] as const;
export type AdminUserStatus = (typeof ADMIN_USER_STATUSES)[number];

const USER = `id, username, phone, email, role, status, status_reason, status_changed_at, status_changed_by, referred_by_code, created_at, last_login_at`;

const presentUser = (u: Record<string, unknown>) => ({
  id: String(u.id),
  username: (u.username as string) ?? null,
  phone: (u.phone as string) ?? null,
  email: (u.email as string) ?? null,
  role: String(u.role),
  status: String(u.status),
  status_reason: (u.status_reason as string) ?? null,
  status_changed_at: isoOrNull(u.status_changed_at),
  status_changed_by: (u.status_changed_by as string) ?? null,
  referred_by_code: (u.referred_by_code as string) ?? null,
  created_at: isoOrNull(u.created_at)!,
  last_login_at: isoOrNull(u.last_login_at),
});
export type AdminUserView = ReturnType<typeof presentUser>;

/**
 * Identity's part of the admin user pages: a user's account, profile, KYC, devices and sessions,
 * and the status an admin sets. A status other than `active` ends every session in the same
 * transaction, so the user's next request is refused (401 for the ended session, 403
 * ACCOUNT_DISABLED for a token that was still being issued); what the user had started (a rental)
 * runs on in its workflow.
 */
export class UserAdminService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async account(userId: string, tx: Execute = executor(this.deps.orm)): Promise<AdminUserView> {
    const [u] = await tx(`select ${USER} from users where id = ?`, [userId]);
    if (!u) throw Errors.notFound('User');
    return presentUser(u);
  }

  /** Account, profile, latest KYC, devices (never their push tokens) and live sessions. */
  async detail(userId: string) {
    const tx = executor(this.deps.orm);
    const account = await this.account(userId, tx);
    const [p] = await tx(
      `select full_name, date_of_birth, gender, avatar_url, address_line, city, district, province, country_code from user_profiles where user_id = ?`,
      [userId],
    );
    const [k] = await tx(
      `select id, status, document_type, rejection_reason, reviewed_at, created_at from kyc_submissions where user_id = ? order by created_at desc limit 1`,
      [userId],
    );
    const devices = await tx(
      `select id, platform, model, os_version, app_version, created_at, updated_at from user_devices where user_id = ? order by updated_at desc`,
      [userId],
    );
    const [{ sessions }] = await tx(`select count(*)::int as sessions from auth_sessions where user_id = ? and revoked_at is null and expires_at > now()`, [
      userId,
    ]);
    return {
      ...account,
      profile: p ? { ...p, date_of_birth: p.date_of_birth ? String(isoOrNull(p.date_of_birth)).slice(0, 10) : null } : null,
      kyc: k
        ? {
            id: k.id,
            status: k.status,
            document_type: k.document_type,
            rejection_reason: k.rejection_reason ?? null,
            submitted_at: isoOrNull(k.created_at),
            reviewed_at: isoOrNull(k.reviewed_at),
          }
        : { status: 'not_submitted' },
      devices: devices.map((d) => ({
        id: d.id,
        platform: d.platform,
        model: d.model ?? null,
        os_version: d.os_version ?? null,
        app_version: d.app_version ?? null,
        registered_at: isoOrNull(d.created_at),
        last_seen_at: isoOrNull(d.updated_at),
      })),
      active_sessions: sessions as number,
    };
  }

  /** Sets the status with its reason; anything but `active` revokes every session at once. Returns the account before and after. */
  async setStatus(adminId: string, userId: string, status: AdminUserStatus, reason: string) {
    if (adminId === userId) throw new AppError('CANNOT_CHANGE_OWN_STATUS', 'An admin cannot change their own status', 409);
    return inTransaction(this.deps.orm, async (tx) => {
      const [locked] = await tx(`select status from users where id = ? for update`, [userId]);
      if (!locked || locked.status === 'deleted') throw Errors.notFound('User');
      const before = await this.account(userId, tx);
      await tx(`update users set status = ?, status_reason = ?, status_changed_at = now(), status_changed_by = ?, updated_at = now() where id = ?`, [
        status,
        reason,
        adminId,
        userId,
      ]);
      let sessionsEnded = 0;
      if (status !== 'active') {
        const ended = await tx(`update auth_sessions set revoked_at = now(), revoke_reason = ? where user_id = ? and revoked_at is null returning id`, [
          status,
          userId,
        ]);
        sessionsEnded = ended.length;
      }
      return { before, after: { ...(await this.account(userId, tx)), sessions_ended: sessionsEnded } };
    });
  }
}
