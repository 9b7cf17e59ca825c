import jwt from 'jsonwebtoken';
import { useMessagingStack } from '../support/fixtures';
import { randomEmail, randomPhone } from '../support/messaging';
import { customerToken } from '../support/stack';

import { registerOverHttp, verifyOverHttp } from './flow';

describe('sessions: refresh rotation, reuse, logout, token checks', () => {
  const fx = useMessagingStack({ bridge: false });

  const me = (access: string) => fx.api().get('/api/auth/me').set('Authorization', `Bearer ${access}`);
  const refresh = (token: string) => fx.api().post('/api/auth/refresh').send({ refresh_token: token });

  it('when an old refresh token is used again, then the whole session family is revoked', async () => {
    const first = await registerOverHttp(fx.stack, fx.boxes);
    const second = (await refresh(first.refresh_token)).body.data;
    const third = (await refresh(second.refresh_token)).body.data;
    expect((await me(third.access_token)).status).toBe(200);

    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // Every token of the family is dead now, including the newest pair.
    const latest = await refresh(third.refresh_token);
    expect(latest.status).toBe(401);
    expect(latest.body.error.code).toBe('SESSION_REVOKED');
    expect((await me(third.access_token)).body.error.code).toBe('SESSION_REVOKED');
    const [session] = await fx.stack.orm.em.getConnection().execute('select revoke_reason from auth_sessions where id = ?', [first.session_id]);
    expect(session.revoke_reason).toBe('refresh_token_reuse');
  });

  it('when a user logs out, then that access token is refused at once and the refresh token too', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    expect((await fx.api().post('/api/auth/logout').set('Authorization', `Bearer ${a.access_token}`)).status).toBe(200);
    const after = await me(a.access_token);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ success: false, error: { code: 'SESSION_REVOKED' } });
    expect((await refresh(a.refresh_token)).body.error.code).toBe('SESSION_REVOKED');
  });

  it('when a token has no session, is a refresh token, or is forged, then it is refused as an access token', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    const noSid = jwt.sign({ role: 'customer', typ: 'access' }, fx.stack.config.JWT_SECRET, { subject: a.user.id, expiresIn: 60 });
    const unknownSid = jwt.sign({ role: 'admin', typ: 'access', sid: '00000000-0000-4000-8000-000000000000' }, fx.stack.config.JWT_SECRET, {
      subject: a.user.id,
      expiresIn: 60,
    });
    const forged = jwt.sign({ role: 'customer', typ: 'access', sid: a.session_id }, 'another-secret-of-enough-length', { subject: a.user.id, expiresIn: 60 });
    for (const token of [noSid, unknownSid, forged, a.refresh_token]) expect((await me(token)).status).toBe(401);
    // An access token cannot be used to refresh.
    expect((await refresh(a.access_token)).body.error.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('when login finds no user or register finds a taken username or an existing account, then 404/409 and the token stays usable', async () => {
    const phone = randomPhone();
    const token = await verifyOverHttp(fx.stack, fx.boxes, phone);
    const unknown = await fx.api().post('/api/auth/login').send({ verification_token: token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
    const existing = await registerOverHttp(fx.stack, fx.boxes);
    const [{ username }] = await fx.stack.orm.em.getConnection().execute('select username from users where id = ?', [existing.user.id]);
    const taken = await fx.api().post('/api/auth/register').send({ verification_token: token, username: username.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('USERNAME_UNAVAILABLE');
    // The failed attempts did not spend the token.
    expect(
      (
        await fx
          .api()
          .post('/api/auth/register')
          .send({ verification_token: token, username: `n${Date.now()}` })
      ).status,
    ).toBe(201);

    await fx.stack.orm.em.getConnection().execute(`update otp_request_gates set requested_at = now() - interval '61 seconds' where identifier = ?`, [phone]);
    const again = await verifyOverHttp(fx.stack, fx.boxes, phone);
    const dup = await fx
      .api()
      .post('/api/auth/register')
      .send({ verification_token: again, username: `d${Date.now()}` });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('USER_ALREADY_EXISTS');
    expect((await fx.api().post('/api/auth/login').send({ verification_token: again })).status).toBe(200);
    expect(
      (
        await fx
          .api()
          .post('/api/auth/login')
          .send({ verification_token: 'x'.repeat(43) })
      ).body.error.code,
    ).toBe('INVALID_VERIFICATION_TOKEN');
  });

  it("when an admin bans a user, then that user's live token is refused with 403 ACCOUNT_DISABLED", async () => {
    const token = await customerToken(fx.stack);
    const { sub } = jwt.decode(token) as { sub: string };
    expect((await me(token)).status).toBe(200);
    await fx.stack.orm.em.getConnection().execute(`update users set status = 'banned' where id = ?`, [sub]);
    const res = await me(token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_DISABLED');
  });

  it('when an email user logs in, then /auth/me shows the email and no phone', async () => {
    const email = randomEmail();
    const a = await registerOverHttp(fx.stack, fx.boxes, email);
    const res = await me(a.access_token);
    expect(res.body.data).toMatchObject({ email, phone: null, role: 'customer', status: 'active' });
  });
});
