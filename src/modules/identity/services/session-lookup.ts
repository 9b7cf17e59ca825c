import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../../config';
import type { AccessVerifier, SessionState } from './access-token';
import { tokenKeys } from './jwt-keys';
import { SESSION_EXPIRED_SQL, sessionExpiredParams } from '../rules/roles';
import { SecondFactorService } from './second-factor.service';

/** The auth guard's view of sessions: one indexed lookup (session by id joined to its user). */
export function createAccessVerifier(deps: { orm: MikroORM; config: Config }): AccessVerifier {
  const secondFactor = new SecondFactorService(deps);
  return {
    keys: tokenKeys(deps.config),
    async loadSession(sid: string): Promise<SessionState | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(sid)) return undefined;
      const [row] = await deps.orm.em.getConnection().execute(
        `select s.user_id, s.revoked_at, ${SESSION_EXPIRED_SQL} as expired, s.second_factor_at,
           s.second_factor_at > now() - make_interval(mins => ?) as fresh, u.role, u.status
         from auth_sessions s join users u on u.id = s.user_id where s.id = ?`,
        [...sessionExpiredParams(deps.config.ADMIN_SESSION_MAX_HOURS), deps.config.ADMIN_STEP_UP_MINUTES, sid],
      );
      if (!row) return undefined;
      return {
        userId: row.user_id,
        role: row.role,
        userStatus: row.status,
        revoked: row.revoked_at !== null,
        expired: row.expired === true,
        secondFactor: row.fresh === true ? 'fresh' : row.second_factor_at ? 'verified' : 'none',
      };
    },
    async stepUp(caller, code) {
      await secondFactor.verify(caller, { code });
    },
  };
}
