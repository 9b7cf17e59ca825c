import jwt from 'jsonwebtoken';

/** What the guard learns about a session from the database on every request. */
export interface SessionState {
  userId: string;
  role: string;
  userStatus: string;
  revoked: boolean;
}

/** Checks access tokens: the key they are signed with and a lookup of their session. */
export interface AccessVerifier {
  secret: string;
  loadSession(sid: string): Promise<SessionState | undefined>;
}

/** Signs an access token for a live session: `sub`, `role`, `sid`, `typ: access`. */
export function signAccessToken(secret: string, user: { id: string; role: string; sid: string }, expiresInSeconds = 15 * 60): string {
  return jwt.sign({ role: user.role, sid: user.sid, typ: 'access' }, secret, { subject: user.id, expiresIn: expiresInSeconds, algorithm: 'HS256' });
}

export type AccessTokenCheck = { ok: true; userId: string; sid: string } | { ok: false; reason: 'invalid' | 'not_access' };

/** Verifies an access token's signature (HS256 only), expiry and shape, without the session lookup. */
export function verifyAccessToken(secret: string, token: string): AccessTokenCheck {
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (payload.typ !== 'access' || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return { ok: false, reason: 'not_access' };
  return { ok: true, userId: payload.sub, sid: payload.sid };
}
