import { AccountClosureGuard } from '../../src/modules/identity/services/account-closure.guard';
import { useMessagingStack } from '../support/fixtures';

import { registerOverHttp, verifyOverHttp } from './flow';

describe('devices and account erasure', () => {
  const fx = useMessagingStack({ bridge: false });

  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);
  const device = (method: 'post' | 'put', access: string, body: object) =>
    fx.api()[method]('/api/auth/device').set('Authorization', `Bearer ${access}`).send(body);

  it('when the app posts and puts its FCM token, then one device row is kept up to date and a rotated token replaces the old one', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    const first = await device('post', a.access_token, {
      fcm_token: 'fcm-token-aaaaaaaa',
      platform: 'android',
      device_id: 'install-1',
      model: 'Pixel 7',
      app_version: '1.0.0',
    });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ fcm_token: 'fcm-token-aaaaaaaa', platform: 'android', model: 'Pixel 7', app_version: '1.0.0' });
    const updated = await device('put', a.access_token, {
      fcm_token: 'fcm-token-aaaaaaaa',
      platform: 'android',
      device_id: 'install-1',
      model: 'Pixel 7',
      app_version: '1.1.0',
    });
    expect(updated.body.data).toMatchObject({ id: first.body.data.id, app_version: '1.1.0' });
    await device('put', a.access_token, { fcm_token: 'fcm-token-bbbbbbbb', platform: 'android', device_id: 'install-1' });
    const rows = await q('select fcm_token from user_devices where user_id = ?', [a.user.id]);
    expect(rows).toEqual([{ fcm_token: 'fcm-token-bbbbbbbb' }]);

    const bad = await device('post', a.access_token, { fcm_token: 'fcm-token-cccccccc', platform: 'symbian' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.platform');
    expect((await fx.api().post('/api/auth/device').send({ fcm_token: 'fcm-token-dddddddd', platform: 'ios' })).status).toBe(401);

    // Logging out stops pushes to the device registered by that session.
    await fx.api().post('/api/auth/logout').set('Authorization', `Bearer ${a.access_token}`);
    expect(await q('select 1 from user_devices where user_id = ?', [a.user.id])).toHaveLength(0);
  });

  it('when a user deletes the account, then personal data is erased, sessions end, and the phone can register anew', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    await device('post', a.access_token, { fcm_token: `fcm-${a.user.id}`, platform: 'ios' });
    const del = await fx.api().delete('/api/auth/account').set('Authorization', `Bearer ${a.access_token}`);
    expect(del.status).toBe(200);
    expect(del.body.data).toEqual({ deleted: true, user_id: a.user.id });

    const [user] = await q('select phone, email, username, status, deleted_at from users where id = ?', [a.user.id]);
    expect(user).toMatchObject({ phone: null, email: null, username: null, status: 'deleted' });
    expect(user.deleted_at).not.toBeNull();
    expect(await q('select 1 from auth_sessions where user_id = ? and revoked_at is null', [a.user.id])).toHaveLength(0);
    expect(await q('select 1 from user_devices where user_id = ?', [a.user.id])).toHaveLength(0);
    expect(await q('select 1 from otp_challenges where identifier = ?', [a.identifier])).toHaveLength(0);
    expect((await fx.api().get('/api/auth/me').set('Authorization', `Bearer ${a.access_token}`)).status).toBe(401);

    const again = await registerOverHttp(fx.stack, fx.boxes, a.identifier);
    expect(again.user.id).not.toBe(a.user.id);
  });

  it('when a rental or due is open, then deletion is refused with 409 and nothing is erased', async () => {
    const a = await registerOverHttp(fx.stack, fx.boxes);
    // The rentals issue registers its rule the same way.
    const unregister = AccountClosureGuard.register(async (userId) =>
      userId === a.user.id ? { code: 'OPEN_RENTAL', message: 'Return the power bank before deleting the account', count: 1 } : null,
    );
    try {
      const res = await fx.api().delete('/api/auth/account').set('Authorization', `Bearer ${a.access_token}`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'ACCOUNT_HAS_OPEN_OBLIGATIONS', details: { blockers: [{ code: 'OPEN_RENTAL', count: 1 }] } },
      });
      const [user] = await q('select phone, status from users where id = ?', [a.user.id]);
      expect(user).toEqual({ phone: a.identifier, status: 'active' });
      expect((await fx.api().get('/api/auth/me').set('Authorization', `Bearer ${a.access_token}`)).status).toBe(200);
    } finally {
      unregister();
    }
  });

  it('when a user has no rentals or dues (or those tables do not exist yet), then the default closure checks pass', async () => {
    const conn = fx.stack.orm.em.getConnection();
    const blockers = await conn.transactional(async (trx) =>
      AccountClosureGuard.blockers('00000000-0000-4000-8000-00000000abcd', (sql, params = []) => conn.execute(sql, params, 'all', trx)),
    );
    expect(blockers).toEqual([]);
  });

  it('when a verified identifier registers, then the referral code is recorded for the points issue', async () => {
    const phone = `+97798${String(Date.now()).slice(-8)}`;
    const token = await verifyOverHttp(fx.stack, fx.boxes, phone);
    const res = await fx
      .api()
      .post('/api/auth/register')
      .send({ verification_token: token, username: `r${Date.now()}`, referral_code: 'abcd1234' });
    expect(res.status).toBe(201);
    expect((await q('select referred_by_code from users where id = ?', [res.body.data.user.id]))[0].referred_by_code).toBe('ABCD1234');
  });
});
