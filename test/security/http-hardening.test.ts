import request from 'supertest';
import { SURFACE_CASES } from '../foundation/surfaces';
import { registerOverHttp, verifyOverHttp } from '../identity/flow';
import { as, PNG_1x1, sql } from '../app/helpers';
import { randomEmail } from '../support/messaging';
import { useMessagingStack, useTestStack } from '../support/fixtures';
import { testRandom } from '../support/random';

/** Issue 10 item 11 (and the Host-header half of item 8): headers, caching, docs, 404, and answers that confirm nothing. */
describe('HTTP hardening', () => {
  const fx = useMessagingStack({ worker: true, bridge: false, env: { UPLOAD_DIR: `${process.env.STATIONFLOW_TEST_DIR}/uploads-hardening` } });

  const expectHelmet = (res: request.Response) => {
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  };

  it.each(SURFACE_CASES)('when $mount answers (health, its own 404), then the security headers are present', async (s) => {
    expectHelmet(await fx.api().get(s.health));
    const missing = await fx.api().get(`${s.mount}/no-such-route`);
    expect(missing.status).toBe(404);
    expectHelmet(missing);
  });

  it('when a path outside every surface is requested, then 404 with the headers and no list of surfaces or mounts', async () => {
    const res = await fx.api().get('/nothing-here');
    expect(res.status).toBe(404);
    expectHelmet(res);
    expect(res.body).toEqual({ error: 'Not found', code: 'NOT_FOUND', path: '/nothing-here' });
    expect(JSON.stringify(res.body)).not.toMatch(/chargeghar|\/water\/api|\/ev\/api|fleet/);
  });

  it('when tokens are issued (refresh), OTP answers are sent or personal data is read, then Cache-Control is no-store', async () => {
    const registered = await registerOverHttp(fx.stack, fx.boxes);
    const refreshed = await fx.api().post('/api/auth/refresh').send({ refresh_token: registered.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const me = await as(fx.stack, registered.access_token).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    const kyc = await as(fx.stack, registered.access_token).get('/api/users/kyc/status');
    expect(kyc.headers['cache-control']).toBe('no-store');
    const otp = await fx.api().post('/api/auth/get-otp').send({ identifier: randomEmail() });
    expect(otp.headers['cache-control']).toBe('no-store');
  });

  it('when an OTP is emailed, then the code is in the body only, never in the subject', async () => {
    const email = randomEmail();
    await verifyOverHttp(fx.stack, fx.boxes, email);
    const [mail] = fx.boxes.smtp.messages(email);
    const code = /\b(\d{6})\b/.exec(mail.text)![1];
    expect(mail.subject).not.toMatch(/\d{6}/);
    expect(mail.subject).not.toContain(code);
  });

  it('when a taken or a reserved username is registered, then both get the same USERNAME_UNAVAILABLE answer', async () => {
    const existing = await registerOverHttp(fx.stack, fx.boxes);
    const [{ username }] = await sql<{ username: string }>(fx.stack, 'select username from users where id = ?', [existing.user.id]);
    const token = await verifyOverHttp(fx.stack, fx.boxes, randomEmail());
    const taken = await fx.api().post('/api/auth/register').send({ verification_token: token, username: username.toUpperCase() });
    const reserved = await fx.api().post('/api/auth/register').send({ verification_token: token, username: 'Support' });
    expect(taken.status).toBe(409);
    expect(reserved.status).toBe(409);
    expect(taken.body.error).toEqual(reserved.body.error);
    expect(taken.body.error.code).toBe('USERNAME_UNAVAILABLE');
  });

  it('when another user registers an FCM token held by a live session, then 409 and the token stays; with the same device_id it moves', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    const b = await registerOverHttp(fx.stack, fx.boxes);
    const fcm = `fcm-${testRandom().text(24)}`;
    await as(fx.stack, a.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'android', device_id: 'install-a' }).expect(200);
    const stolen = await as(fx.stack, b.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'android' });
    expect(stolen.status).toBe(409);
    expect(stolen.body).toMatchObject({ success: false, error: { code: 'DEVICE_TOKEN_IN_USE' } });
    const wrongInstall = await as(fx.stack, b.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'android', device_id: 'install-b' });
    expect(wrongInstall.status).toBe(409);
    expect(await sql(fx.stack, 'select user_id from user_devices where fcm_token = ?', [fcm])).toEqual([{ user_id: a.user.id }]);
    // The same installation (its install id is the proof) may move it.
    await as(fx.stack, b.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'android', device_id: 'install-a' }).expect(200);
    expect(await sql(fx.stack, 'select user_id from user_devices where fcm_token = ?', [fcm])).toEqual([{ user_id: b.user.id }]);
  });

  it('when the session that registered an FCM token has ended, then another user may register it', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    const b = await registerOverHttp(fx.stack, fx.boxes);
    const fcm = `fcm-${testRandom().text(24)}`;
    await as(fx.stack, a.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'ios' }).expect(200);
    await sql(fx.stack, `update auth_sessions set revoked_at = now(), revoke_reason = 'test' where id = ?`, [a.session_id]);
    await as(fx.stack, b.access_token).post('/api/auth/device', { fcm_token: fcm, platform: 'ios' }).expect(200);
    expect(await sql(fx.stack, 'select user_id from user_devices where fcm_token = ?', [fcm])).toEqual([{ user_id: b.user.id }]);
  });

  it('when an upload is sent with a forged Host header, then the stored URL is not built from it', async () => {
    const user = await registerOverHttp(fx.stack, fx.boxes);
    const res = await request(fx.stack.baseUrl)
      .post('/api/app/upload')
      .set('Authorization', `Bearer ${user.access_token}`)
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .attach('file', PNG_1x1, 'me.png');
    expect(res.status).toBe(201);
    expect(res.body.data.url).not.toContain('evil.example');
    expect(new URL(res.body.data.url).origin).toBe(fx.stack.baseUrl);
  });
});

describe('Swagger UI', () => {
  /** A production environment (src/config/security.ts refuses development defaults there). */
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'Zr8v1xQ2mK9pL4sT7wY0bN3cF6hJ5dG8eA1uI2oP',
    OTP_HASH_SECRET: 'otp-hash-secret-for-production-0123',
    PUBLIC_BASE_URL: 'https://api.chargeghar.example',
    PAYMENT_SANDBOX: 'true',
    SPARROW_TOKEN: 'real-token',
    SPARROW_BASE_URL: 'https://api.sparrowsms.example/v2',
    SMTP_URL: 'smtps://smtp.example.com:465',
  };
  const prod = useTestStack({ worker: false, bridge: false, env: production });
  const enabled = useTestStack({ worker: false, bridge: false, env: { ...production, SWAGGER_UI: 'true' } });
  const dev = useTestStack({ worker: false, bridge: false });

  it('when NODE_ENV=production, then /docs is not served (404) but openapi.json still is', async () => {
    const docs = await prod.api().get('/api/docs/');
    expect(docs.status).toBe(404);
    expect(docs.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect((await prod.api().get('/api/openapi.json')).status).toBe(200);
  });

  it('when production sets SWAGGER_UI=true, or outside production, then /docs is served', async () => {
    expect((await enabled.api().get('/api/docs/')).status).toBe(200);
    const docs = await dev.api().get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });
});
