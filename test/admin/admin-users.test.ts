import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sql } from '../support/db';
import { AuthTokenService } from '../../src/modules/identity/services/auth-token.service';
import { adminToken, customerToken } from '../support/stack';
import { api, balances, createRenter, entriesOf, rentalInStatus, startBody, useRentalStack } from '../rentals/support';

/** Seed 001 Admin › User Management: list, detail, status; a ban ends sessions at once but not a running rental. */
describe('admin users', () => {
  const fx = useRentalStack({}, async ({ stack }) => ({ admin: await adminToken(stack) }));
  const asAdmin = (method: 'get' | 'patch', path: string) => request(fx.stack.baseUrl)[method](`/api${path}`).set('Authorization', `Bearer ${fx.admin}`);

  it('when an admin lists users with filters, then status, KYC state, dates and search narrow the page', async () => {
    const tag = randomUUID().slice(0, 8);
    const renter = await createRenter(fx.stack);
    await sql(fx.stack, `update users set username = ?, phone = ? where id = ?`, [`adm${tag}`, `+97798${Date.now() % 100_000_000}`, renter.id]);
    const found = await asAdmin('get', `/admin/users?search=adm${tag}&kyc_status=approved&status=active&created_from=2020-01-01&page_size=5`);
    expect(found.status).toBe(200);
    expect(found.body.data.results).toEqual([expect.objectContaining({ id: renter.id, username: `adm${tag}`, kyc_status: 'approved', status: 'active' })]);
    expect(found.body.data.pagination).toEqual({ page: 1, page_size: 5, total: 1, total_pages: 1 });
    const none = await asAdmin('get', `/admin/users?search=adm${tag}&kyc_status=pending`);
    expect(none.body.data.pagination.total).toBe(0);
    const bad = await asAdmin('get', '/admin/users?page_size=1000');
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('when an admin opens a user, then profile, KYC, wallet, points, dues, rentals, devices and recent transactions are there; an unknown id is 404', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 3000, points: 40 });
    await sql(fx.stack, `insert into user_devices (id, user_id, fcm_token, platform, model) values (?, ?, ?, 'android', 'Pixel 8')`, [
      randomUUID(),
      renter.id,
      `fcm-${randomUUID()}`,
    ]);
    const res = await asAdmin('get', `/admin/users/${renter.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: renter.id,
      status: 'active',
      profile: { full_name: 'Test Renter', city: 'Kathmandu' },
      kyc: { status: 'approved' },
      wallet: { currency: 'NPR', balance: '30.00', balance_minor: 3000 },
      points: { balance: 40 },
      dues: { amount_minor: 0 },
      rentals: { total: 0 },
      active_sessions: 1,
      devices: [expect.objectContaining({ platform: 'android', model: 'Pixel 8' })],
    });
    expect(res.body.data.recent_transactions.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body.data)).not.toContain('fcm-');
    expect((await asAdmin('get', `/admin/users/${randomUUID()}`)).status).toBe(404);
    expect((await asAdmin('get', '/admin/users/not-a-uuid')).status).toBe(400);
  });

  it('when an admin bans a renter during a rental, then every request of theirs gets 403 at once, the rental still completes and bills, and the ban is audited without tokens', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 0 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'))).body.data;
    expect(rental.status).toBe('active');
    const ban = await asAdmin('patch', `/admin/users/${renter.id}/status`).send({ status: 'banned', reason: 'Fraudulent top-ups' });
    expect(ban.status).toBe(200);
    expect(ban.body.data).toMatchObject({ id: renter.id, status: 'banned', status_reason: 'Fraudulent top-ups', sessions_ended: 1 });
    for (const path of ['/user/profile', '/rentals/active', '/user/wallet', '/promotions/my-coupons']) {
      const r = await api(fx.stack, renter.token).get(path);
      expect({ path, status: r.status, code: r.body.error?.code, message: r.body.error?.message }).toEqual({
        path,
        status: 403,
        code: 'ACCOUNT_DISABLED',
        message: 'This account is banned',
      });
    }
    const [session] = await sql(fx.stack, `select count(*)::int as live from auth_sessions where user_id = ? and revoked_at is null`, [renter.id]);
    expect(session.live).toBe(0);
    // The kiosk reports the return: the rental settles and bills as usual.
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect(done).toMatchObject({ usage_minor: '500', payment_status: 'due' });
    expect(await entriesOf(fx.stack, `rental-usage:${rental.id}`)).toHaveLength(1);
    expect((await balances(fx.stack, renter.id)).walletMinor).toBe(-500);
    // The audit log: who, what, when, before and after; no bearer token anywhere.
    const [entry] = await sql(fx.stack, `select * from admin_audit_log where target_id = ? and action = 'PATCH /admin/users/{id}/status'`, [renter.id]);
    expect(entry).toMatchObject({ target_type: 'user', status: 200, actor_role: 'admin', before: expect.objectContaining({ status: 'active' }) });
    expect(entry.after).toMatchObject({ status: 'banned', sessions_ended: 1 });
    expect(entry.details).toMatchObject({ body: { status: 'banned', reason: 'Fraudulent top-ups' } });
    expect(JSON.stringify(entry)).not.toContain(renter.token);
    const logs = await asAdmin('get', `/admin/system/logs?kind=admin_action&target_id=${renter.id}`);
    expect(logs.body.data.results).toEqual([expect.objectContaining({ action: 'PATCH /admin/users/{id}/status', target_id: renter.id })]);
  });

  it('when a banned user is made active again, then they log in anew; bad status, own status or unknown user are refused with 4xx', async () => {
    const userId = randomUUID();
    const old = await customerToken(fx.stack, userId);
    const pair = await new AuthTokenService({ orm: fx.stack.orm, config: fx.stack.config }).startSession({ id: userId, role: 'customer' });
    await asAdmin('patch', `/admin/users/${userId}/status`).send({ status: 'suspended', reason: 'Checking documents' }).expect(200);
    expect((await api(fx.stack, old).get('/user/profile')).status).toBe(403);
    const refreshed = await api(fx.stack).post('/auth/refresh', { refresh_token: pair.refresh_token });
    expect({ status: refreshed.status, code: refreshed.body.error?.code }).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });
    await asAdmin('patch', `/admin/users/${userId}/status`).send({ status: 'active', reason: 'Documents fine' }).expect(200);
    expect((await api(fx.stack, old).get('/user/profile')).body.error?.code).toBe('SESSION_REVOKED');
    const fresh = await customerToken(fx.stack, userId);
    expect((await api(fx.stack, fresh).get('/user/wallet')).status).toBe(200);
    const invalid = await asAdmin('patch', `/admin/users/${userId}/status`).send({ status: 'deleted', reason: 'nope' });
    expect({ status: invalid.status, code: invalid.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const adminId = randomUUID();
    const self = await request(fx.stack.baseUrl)
      .patch(`/api/admin/users/${adminId}/status`)
      .set('Authorization', `Bearer ${await adminToken(fx.stack, adminId)}`)
      .send({ status: 'banned', reason: 'oops' });
    expect({ status: self.status, code: self.body.error?.code }).toEqual({ status: 409, code: 'CANNOT_CHANGE_OWN_STATUS' });
    expect((await asAdmin('patch', `/admin/users/${randomUUID()}/status`).send({ status: 'banned', reason: 'ghost' })).status).toBe(404);
  });
});
