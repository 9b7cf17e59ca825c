import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { signAccessToken } from './access-token';
import { signWith, tokenKeys, verifyWith, type TokenKeys } from './jwt-keys';
import { isStaffRole, SESSION_EXPIRED_SQL, sessionExpiredParams } from '../rules/roles';
import type { Config } from '../../../config';
import { executor, inTransaction, type Execute } from '../../../kernel/sql';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  refresh_expires_in: number;
  session_id: string;
}

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

const invalidRefresh = () => new AppError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid or expired', 401);

/**
 * Sessions and their tokens. An access token (15 min) names its session (`sid`); a refresh token
 * (`jti`) can be used once: using it returns a new pair, using it again revokes the whole session.
 */
export class AuthTokenService {
  private readonly keys: TokenKeys;

  constructor(private readonly deps: { orm: MikroORM; config: Config }) {
    this.keys = tokenKeys(deps.config);
  }

  /** A session's absolute lifetime: ADMIN_SESSION_MAX_HOURS for admin roles, SESSION_MAX_DAYS for everyone else. */
  maxSessionSeconds(role: string): number {
    const { ADMIN_SESSION_MAX_HOURS, SESSION_MAX_DAYS } = this.deps.config;
    return isStaffRole(role) ? ADMIN_SESSION_MAX_HOURS * 3600 : SESSION_MAX_DAYS * 24 * 3600;
  }

  /** Opens a session for a user and returns its first token pair (inside `tx` when given). */
  async startSession(user: { id: string; role: string }, meta: ClientMeta = {}, tx: Execute = executor(this.deps.orm)): Promise<TokenPair> {
    const sid = randomUUID();
    await tx(
      `insert into auth_sessions (id, user_id, absolute_expires_at, expires_at, ip, user_agent)
       values (?, ?, now() + make_interval(secs => ?), now() + make_interval(secs => least(?, ?)), ?, ?)`,
      [
        sid,
        user.id,
        this.maxSessionSeconds(user.role),
        this.deps.config.REFRESH_TOKEN_TTL_SECONDS,
        this.maxSessionSeconds(user.role),
        meta.ip?.slice(0, 64) ?? null,
        meta.userAgent?.slice(0, 255) ?? null,
      ],
    );
    return this.issuePair(tx, user, sid);
  }

  /** Rotates a refresh token. Reuse of a spent one revokes the session (the whole token family). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const payload = verifyWith(this.keys, 'refresh', refreshToken);
    if (!payload) throw invalidRefresh();
    const { sid, jti, typ } = payload;
    if (typ !== 'refresh' || typeof sid !== 'string' || typeof jti !== 'string') throw invalidRefresh();

    const outcome = await inTransaction(this.deps.orm, async (tx) => {
      const spent = await tx(
        `update refresh_tokens set used_at = now() where id = ? and session_id = ? and used_at is null and expires_at > now() returning id`,
        [jti, sid],
      );
      if (spent.length === 0) {
        const [row] = await tx(`select used_at from refresh_tokens where id = ? and session_id = ?`, [jti, sid]);
        if (!row?.used_at) return { error: invalidRefresh() };
        await tx(
          `update auth_sessions set revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, 'refresh_token_reuse') where id = ?`,
          [sid],
        );
        return { error: new AppError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has been revoked for safety', 401) };
      }
      const [session] = await tx(
        `select s.user_id, s.revoked_at, ${SESSION_EXPIRED_SQL} as expired, u.role, u.status
         from auth_sessions s join users u on u.id = s.user_id where s.id = ? for update of s`,
        [...sessionExpiredParams(this.deps.config.ADMIN_SESSION_MAX_HOURS), sid],
      );
      if (session && session.status !== 'active' && session.status !== 'deleted') {
        return { error: new AppError('ACCOUNT_DISABLED', `This account is ${session.status}`, 403) };
      }
      if (!session || session.revoked_at || session.status !== 'active') {
        return { error: new AppError('SESSION_REVOKED', 'This session has ended; log in again', 401) };
      }
      if (session.expired) return { error: new AppError('SESSION_EXPIRED', 'This session reached its maximum lifetime; log in again', 401) };
      const pair = await this.issuePair(tx, { id: session.user_id, role: session.role }, sid, jti);
      await tx(`update auth_sessions set last_refreshed_at = now(), expires_at = least(now() + make_interval(secs => ?), absolute_expires_at) where id = ?`, [
        this.deps.config.REFRESH_TOKEN_TTL_SECONDS,
        sid,
      ]);
      return { pair };
    });
    // The revocation above is committed before the refusal is thrown.
    if ('error' in outcome) throw outcome.error;
    return outcome.pair;
  }

  /** Ends one session: its access tokens stop working at once and its devices stop getting pushes. */
  async logout(sid: string): Promise<void> {
    await inTransaction(this.deps.orm, async (tx) => {
      await tx(`update auth_sessions set revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, 'logout') where id = ?`, [sid]);
      await tx(`delete from user_devices where session_id = ?`, [sid]);
    });
  }

  async revokeAllForUser(userId: string, reason: string, tx: Execute = executor(this.deps.orm)): Promise<void> {
    await tx(`update auth_sessions set revoked_at = now(), revoke_reason = ? where user_id = ? and revoked_at is null`, [reason, userId]);
  }

  /** A new pair for a session; neither token outlives the session's absolute end. */
  private async issuePair(tx: Execute, user: { id: string; role: string }, sid: string, replacing?: string): Promise<TokenPair> {
    const { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS } = this.deps.config;
    const [left] = await tx(`select greatest(1, round(extract(epoch from absolute_expires_at - now())))::int as seconds from auth_sessions where id = ?`, [
      sid,
    ]);
    const refreshTtl = Math.min(REFRESH_TOKEN_TTL_SECONDS, left.seconds);
    const accessTtl = Math.min(ACCESS_TOKEN_TTL_SECONDS, left.seconds);
    const jti = randomUUID();
    await tx(`insert into refresh_tokens (id, session_id, expires_at) values (?, ?, now() + make_interval(secs => ?))`, [jti, sid, refreshTtl]);
    if (replacing) await tx(`update refresh_tokens set replaced_by = ? where id = ?`, [jti, replacing]);
    return {
      access_token: signAccessToken(this.keys, { id: user.id, role: user.role, sid }, accessTtl),
      refresh_token: signWith(this.keys, 'refresh', { sid, typ: 'refresh' }, { subject: user.id, jwtid: jti, expiresIn: refreshTtl }),
      token_type: 'Bearer',
      expires_in: accessTtl,
      refresh_expires_in: refreshTtl,
      session_id: sid,
    };
  }
}
