import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';

export interface DeviceInput {
  fcm_token: string;
  platform: 'android' | 'ios' | 'web';
  device_id?: string;
  model?: string;
  os_version?: string;
  app_version?: string;
}

/** FCM tokens and device data. A token moves to whoever registers it last; a device keeps one token. */
export class DeviceService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async upsert(user: { id: string; sid?: string }, input: DeviceInput) {
    const tx = executor(this.deps.orm);
    const [row] = await tx(
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
    return { ...row, created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString() };
  }
}
