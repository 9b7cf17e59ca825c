import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { inTransaction } from '../../../kernel/sql';

export interface SessionView {
  id: string;
  current: boolean;
  created_at: string;
  last_refreshed_at: string | null;
  expires_at: string;
  absolute_expires_at: string;
  ip: string | null;
  user_agent: string | null;
  second_factor_at: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** A user's own live sessions: list them, end one, or end all of them ("log out everywhere"). */
export class SessionService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  /** Live sessions (not revoked, not past their end), newest first; `current` marks the caller's. */
  async list(userId: string, currentSid?: string): Promise<SessionView[]> {
    const rows = await this.deps.orm.em.getConnection().execute(
      `select id, created_at, last_refreshed_at, expires_at, absolute_expires_at, ip, user_agent, second_factor_at from auth_sessions
       where user_id = ? and revoked_at is null and absolute_expires_at > now() and expires_at > now() order by created_at desc, id limit 100`,
      [userId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      current: r.id === currentSid,
      created_at: iso(r.created_at)!,
      last_refreshed_at: iso(r.last_refreshed_at),
      expires_at: iso(r.expires_at)!,
      absolute_expires_at: iso(r.absolute_expires_at)!,
      ip: r.ip ?? null,
      user_agent: r.user_agent ?? null,
      second_factor_at: iso(r.second_factor_at),
    }));
  }

  /** Ends one of the user's sessions (another user's answers 404); its devices stop getting pushes. */
  async revoke(userId: string, sid: string): Promise<{ revoked: boolean; session_id: string }> {
    const ended = await inTransaction(this.deps.orm, async (tx) => {
      const rows = await tx(
        `update auth_sessions set revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, 'logout') where id = ? and user_id = ? returning id`,
        [sid, userId],
      );
      if (rows.length) await tx(`delete from user_devices where session_id = ?`, [sid]);
      return rows.length > 0;
    });
    if (!ended) throw Errors.notFound('Session');
    return { revoked: true, session_id: sid };
  }

  /** Ends every session of the user, this one included: every access and refresh token stops working at once. */
  async revokeAll(userId: string): Promise<{ logged_out: boolean; sessions_ended: number }> {
    const ended = await inTransaction(this.deps.orm, async (tx) => {
      const rows = await tx(
        `update auth_sessions set revoked_at = now(), revoke_reason = 'logout_everywhere' where user_id = ? and revoked_at is null returning id`,
        [userId],
      );
      await tx(`delete from user_devices where user_id = ?`, [userId]);
      return rows.length;
    });
    return { logged_out: true, sessions_ended: ended };
  }
}
