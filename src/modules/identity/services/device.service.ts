import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { inTransaction, type Execute } from '../../../kernel/sql';

export interface DeviceInput {
  fcm_token: string;
  platform: 'android' | 'ios' | 'web';
  device_id?: string;
  model?: string;
  os_version?: string;
  app_version?: string;
}

const tokenInUse = () =>
  new AppError(
    'DEVICE_TOKEN_IN_USE',
    'This push token is registered to another account on this device: log out there first, or send the device_id of this installation',
    409,
  );

/**
 * Whether the token's current row may pass to another user: only with proof that the caller holds
 * the same installation (the same `device_id`), or once the session that registered it has ended
 * (revoked or expired). Otherwise anyone who learnt a token could divert another user's pushes.
 */
async function mayTakeOver(tx: Execute, row: { device_id: string | null; session_id: string | null }, input: DeviceInput): Promise<boolean> {
  if (row.device_id && input.device_id && row.device_id === input.device_id) return true;
  if (!row.session_id) return false;
  const [live] = await tx(`select 1 from auth_sessions where id = ? and revoked_at is null and expires_at > now()`, [row.session_id]);
  return !live;
}

/** FCM tokens and device data. A token moves to another user only with proof (mayTakeOver); a device keeps one token. */
export class DeviceService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async upsert(user: { id: string; sid?: string }, input: DeviceInput) {
    const row = await inTransaction(this.deps.orm, async (tx) => {
      const [current] = await tx(`select user_id, device_id, session_id from user_devices where fcm_token = ? for update`, [input.fcm_token]);
      if (current && current.user_id !== user.id && !(await mayTakeOver(tx, current, input))) throw tokenInUse();
      const [saved] = await tx(
        `insert into user_devices (id, user_id, session_id, fcm_token, device_id, platform, model, os_version, app_version)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (fcm_token) do update set user_id = excluded.user_id, session_id = excluded.session_id, device_id = excluded.device_id,
           platform = excluded.platform, model = excluded.model, os_version = excluded.os_version, app_version = excluded.app_version, updated_at = now()
         returning id, fcm_token, device_id, platform, model, os_version, app_version, created_at, updated_at`,
        [
          user.id,
          user.sid ?? null,
          input.fcm_token,
          input.device_id ?? null,
          input.platform,
          input.model ?? null,
          input.os_version ?? null,
          input.app_version ?? null,
        ],
      );
      if (input.device_id) {
        // The app reinstalled or FCM rotated the token: the old one for this device is dead.
        await tx(`delete from user_devices where user_id = ? and device_id = ? and fcm_token <> ?`, [user.id, input.device_id, input.fcm_token]);
      }
      return saved;
    });
    return { ...row, created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString() };
  }
}
