import { signWith, verifyWith, type TokenKeys } from './jwt-keys';

/** What the guard learns about a session from the database on every request. */
export interface SessionState {
  userId: string;
  role: string;
  userStatus: string;
  revoked: boolean;
  /** Past its absolute lifetime (SESSION_MAX_DAYS, ADMIN_SESSION_MAX_HOURS for admins). */
  expired: boolean;
  /** `none`: no second factor in this session; `verified`: one was; `fresh`: within ADMIN_STEP_UP_MINUTES. */
  secondFactor: 'none' | 'verified' | 'fresh';
}

/** Checks access tokens: the keys they are signed with and a lookup of their session. */
export interface AccessVerifier {
  keys: TokenKeys;
  loadSession(sid: string): Promise<SessionState | undefined>;
  /** Checks a TOTP code sent with a request (X-TOTP) and marks the session's second factor fresh; throws an AppError when it is wrong. */
  stepUp(caller: { userId: string; sid: string }, code: string): Promise<void>;
}

/** Signs an access token for a live session: `sub`, `role`, `sid`, `typ: access`, `iss`, `aud`, `kid`. */
export function signAccessToken(keys: TokenKeys, user: { id: string; role: string; sid: string }, expiresInSeconds = 15 * 60): string {
  return signWith(keys, 'access', { role: user.role, sid: user.sid, typ: 'access' }, { subject: user.id, expiresIn: expiresInSeconds });
}

export type AccessTokenCheck = { ok: true; userId: string; sid: string } | { ok: false; reason: 'invalid' | 'not_access' };

/** Verifies an access token's key (by kid, access ring only), signature (HS256), iss, aud, expiry and shape, without the session lookup. */
export function verifyAccessToken(keys: TokenKeys, token: string): AccessTokenCheck {
  const payload = verifyWith(keys, 'access', token);
  if (!payload) return { ok: false, reason: 'invalid' };
  if (payload.typ !== 'access' || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return { ok: false, reason: 'not_access' };
  return { ok: true, userId: payload.sub, sid: payload.sid };
}
