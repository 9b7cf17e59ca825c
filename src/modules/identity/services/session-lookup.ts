import type { MikroORM } from '@mikro-orm/postgresql';
import type { AccessVerifier, SessionState } from './access-token';

/** The auth guard's view of sessions: one indexed lookup (session by id joined to its user). */
export function createAccessVerifier(deps: { orm: MikroORM; secret: string }): AccessVerifier {
  return {
    secret: deps.secret,
    async loadSession(sid: string): Promise<SessionState | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(sid)) return undefined;
      const [row] = await deps.orm.em
        .getConnection()
        .execute(`select s.user_id, s.revoked_at, u.role, u.status from auth_sessions s join users u on u.id = s.user_id where s.id = ?`, [sid]);
      if (!row) return undefined;
      return { userId: row.user_id, role: row.role, userStatus: row.status, revoked: row.revoked_at !== null };
    },
  };
}
