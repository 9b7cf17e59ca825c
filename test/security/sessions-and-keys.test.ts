import jwt from 'jsonwebtoken';
import request from 'supertest';
import { registerOverHttp } from '../identity/flow';
import { customerToken } from '../support/stack';
import { stackIn, useMessagingStack } from '../support/fixtures';

const key = (kid: string) => `${kid}:${kid}-${'x'.repeat(40)}`;
/** Three API instances on one database: before a rotation, during it (new key first, old still listed), after it. */
const BEFORE = { JWT_ACCESS_KEYS: key('a1'), JWT_REFRESH_KEYS: key('r1') };
const DURING = { JWT_ACCESS_KEYS: `${key('a2')},${key('a1')}`, JWT_REFRESH_KEYS: `${key('r2')},${key('r1')}` };
const AFTER = { JWT_ACCESS_KEYS: key('a2'), JWT_REFRESH_KEYS: key('r2') };

describe('sessions: absolute lifetime, my sessions, log out everywhere; JWT iss/aud/kid and key rotation', () => {
  const fx = useMessagingStack({ bridge: false, env: { ...BEFORE, SESSION_MAX_DAYS: '1' } }, async (_base, scope) => ({
    during: await stackIn(scope, { worker: false, bridge: false, env: { ...DURING } }),
    after: await stackIn(scope, { worker: false, bridge: false, env: { ...AFTER } }),
  }));
  const me = (baseUrl: string, access: string) => request(baseUrl).get('/api/auth/me').set('Authorization', `Bearer ${access}`);
  const refresh = (baseUrl: string, token: string) => request(baseUrl).post('/api/auth/refresh').send({ refresh_token: token });

  it('when a customer session reaches SESSION_MAX_DAYS, then refresh cannot extend it and its tokens stop working', async () => {
    const login = await registerOverHttp(fx.stack, fx.boxes);
    const conn = fx.stack.orm.em.getConnection();
    const [row] = await conn.execute(`select extract(epoch from absolute_expires_at - created_at)::int as seconds from auth_sessions where id = ?`, [
      login.session_id,
    ]);
    expect(row.seconds).toBe(24 * 3600);
    const pair = (await refresh(fx.stack.baseUrl, login.refresh_token).expect(200)).body.data;
    expect(pair.refresh_expires_in).toBeLessThanOrEqual(24 * 3600);

    await conn.execute(`update auth_sessions set absolute_expires_at = now() - interval '1 second' where id = ?`, [login.session_id]);
    const denied = await me(fx.stack.baseUrl, pair.access_token);
    expect({ status: denied.status, code: denied.body.error.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
    const refused = await refresh(fx.stack.baseUrl, pair.refresh_token);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
  });

  it('when a user lists their sessions, then each live login shows with the current one marked; ending one or logging out everywhere stops those tokens at once', async () => {
    // Two logins of one user (the first one refreshed once; the second as a login opens it), and another user.
    const first = await registerOverHttp(fx.stack, fx.boxes);
    const a = (await refresh(fx.stack.baseUrl, first.refresh_token).expect(200)).body.data;
    const b = await customerToken(fx.stack, first.user.id);
    const stranger = await registerOverHttp(fx.stack, fx.boxes);

    const listed = await fx.api().get('/api/auth/sessions').set('Authorization', `Bearer ${a.access_token}`).expect(200);
    const sessions = listed.body.data.sessions as { id: string; current: boolean; absolute_expires_at: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([a.session_id]);
    expect(sessions.map((s) => s.id)).not.toContain(stranger.session_id);

    const others = await fx.api().delete(`/api/auth/sessions/${stranger.session_id}`).set('Authorization', `Bearer ${a.access_token}`);
    expect(others.status).toBe(404);
    expect((await me(fx.stack.baseUrl, stranger.access_token)).status).toBe(200);
    expect((await fx.api().delete('/api/auth/sessions/not-a-uuid').set('Authorization', `Bearer ${a.access_token}`)).status).toBe(400);

    const everywhere = await fx.api().post('/api/auth/logout-all').set('Authorization', `Bearer ${b}`).expect(200);
    expect(everywhere.body.data).toEqual({ logged_out: true, sessions_ended: 2 });
    for (const token of [a.access_token, b]) expect((await me(fx.stack.baseUrl, token)).body.error.code).toBe('SESSION_REVOKED');
    expect((await refresh(fx.stack.baseUrl, a.refresh_token)).body.error.code).toBe('SESSION_REVOKED');
    expect((await me(fx.stack.baseUrl, stranger.access_token)).status).toBe(200);
  });

  it('when tokens are issued, then each carries iss, aud and a kid of its own ring, and a token of the other kind, issuer or audience is refused', async () => {
    const login = await registerOverHttp(fx.stack, fx.boxes);
    const access = jwt.decode(login.access_token, { complete: true })!;
    const refreshToken = jwt.decode(login.refresh_token, { complete: true })!;
    expect(access.header).toMatchObject({ alg: 'HS256', kid: 'a1' });
    expect(refreshToken.header).toMatchObject({ alg: 'HS256', kid: 'r1' });
    for (const t of [access.payload, refreshToken.payload]) expect(t).toMatchObject({ iss: 'stationflow', aud: 'stationflow-api', sub: login.user.id });

    expect((await me(fx.stack.baseUrl, login.refresh_token)).status).toBe(401);
    expect((await refresh(fx.stack.baseUrl, login.access_token)).body.error.code).toBe('INVALID_REFRESH_TOKEN');
    // Right key and kid, wrong issuer or audience.
    const claims = { role: 'customer', typ: 'access', sid: login.session_id };
    const secret = `a1-${'x'.repeat(40)}`;
    const sign = (opts: jwt.SignOptions) => jwt.sign(claims, secret, { subject: login.user.id, expiresIn: 60, keyid: 'a1', ...opts });
    expect((await me(fx.stack.baseUrl, sign({ issuer: 'stationflow', audience: 'stationflow-api' }))).status).toBe(200);
    expect((await me(fx.stack.baseUrl, sign({ issuer: 'someone-else', audience: 'stationflow-api' }))).status).toBe(401);
    expect((await me(fx.stack.baseUrl, sign({ issuer: 'stationflow', audience: 'another-api' }))).status).toBe(401);
    expect((await me(fx.stack.baseUrl, sign({ issuer: 'stationflow', audience: 'stationflow-api', keyid: 'r1' }))).status).toBe(401);
  });

  it('when the signing keys are rotated (new key first, old one still listed), then old tokens keep working and new ones get the new kid; once the old key is dropped its tokens are refused', async () => {
    const login = await registerOverHttp(fx.stack, fx.boxes);
    // During the rotation: the old pair still works on the new instance, which signs with the new keys.
    expect((await me(fx.during.baseUrl, login.access_token)).status).toBe(200);
    const rotated = (await refresh(fx.during.baseUrl, login.refresh_token).expect(200)).body.data;
    expect(jwt.decode(rotated.access_token, { complete: true })!.header.kid).toBe('a2');
    expect(jwt.decode(rotated.refresh_token, { complete: true })!.header.kid).toBe('r2');
    expect((await me(fx.after.baseUrl, rotated.access_token)).status).toBe(200);

    // After it: a token of the dropped keys is refused; the rotated session lives on.
    const old = await registerOverHttp(fx.stack, fx.boxes);
    expect((await me(fx.after.baseUrl, old.access_token)).status).toBe(401);
    expect((await refresh(fx.after.baseUrl, old.refresh_token)).body.error.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await refresh(fx.after.baseUrl, rotated.refresh_token)).status).toBe(200);
  });
});
