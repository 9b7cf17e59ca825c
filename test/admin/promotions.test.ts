import { randomUUID } from 'node:crypto';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken, sessionToken } from '../support/stack';

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const code = (prefix: string) => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;

/** Coupons (seed 001 Promotion features): a super admin issues them, users apply them for points. */
describe('promotions: coupons', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => ({ superAdmin: await sessionToken(stack, 'super_admin') }));
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
  const issue = async (body: Record<string, unknown>) => {
    const res = await fx.api().post('/api/admin/promotions/coupons').set(bearer(fx.superAdmin)).send(body);
    expect(res.status).toBe(201);
    return res.body.data as { id: string; code: string };
  };
  const apply = async (token: string, couponCode: string) => fx.api().post('/api/promotions/apply-coupon').set(bearer(token)).send({ coupon_code: couponCode });
  const points = async (token: string) => (await fx.api().get('/api/points/summary').set(bearer(token))).body.data.current_points as number;

  it('when a super admin issues a coupon and a user applies it twice, then its points are added once and my-coupons lists it', async () => {
    const coupon = await issue({ code: code('welcome-'), title: 'Welcome', points: 150, expires_at: inDays(7) });
    expect(coupon.code).toMatch(/^WELCOME-/);
    const user = await customerToken(fx.stack);
    const first = await apply(user, coupon.code.toLowerCase());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, data: { coupon_code: coupon.code, points_awarded: 150 } });
    expect(await points(user)).toBe(150);
    const again = await apply(user, coupon.code);
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'COUPON_ALREADY_USED' });
    expect(await points(user)).toBe(150);
    const mine = await fx.api().get('/api/promotions/my-coupons').set(bearer(user));
    expect(mine.body.data.results).toEqual([expect.objectContaining({ code: coupon.code, points_awarded: 150, coupon_status: 'usable' })]);
    expect(mine.body.data.pagination).toMatchObject({ total: 1 });
  });

  it('when an admin (not super) or a customer tries to issue or change a coupon, then 403; the admin may list them', async () => {
    const admin = await adminToken(fx.stack);
    const body = { code: code('X'), title: 'No', points: 5, expires_at: inDays(1) };
    const byAdmin = await fx.api().post('/api/admin/promotions/coupons').set(bearer(admin)).send(body);
    expect({ status: byAdmin.status, code: byAdmin.body.error?.code }).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    const byCustomer = await fx
      .api()
      .post('/api/admin/promotions/coupons')
      .set(bearer(await customerToken(fx.stack)))
      .send(body);
    expect(byCustomer.status).toBe(403);
    const coupon = await issue({ ...body, code: code('Y') });
    const put = await fx.api().put(`/api/admin/promotions/coupons/${coupon.id}`).set(bearer(admin)).send({ active: false });
    expect(put.status).toBe(403);
    const list = await fx.api().get(`/api/admin/promotions/coupons?search=${coupon.code}`).set(bearer(admin));
    expect(list.body.data.results).toEqual([
      expect.objectContaining({ id: coupon.id, status: 'usable', usage: { used: 0, remaining: null, users: 0, points_awarded: 0 } }),
    ]);
    expect((await fx.api().get('/api/admin/promotions/coupons')).status).toBe(401);
  });

  it('when a coupon is unknown, switched off, expired, not started or used up, then each gets its own 4xx code', async () => {
    const user = await customerToken(fx.stack);
    const inactive = await issue({ code: code('OFF'), title: 'Off', points: 10, expires_at: inDays(3) });
    await fx.api().put(`/api/admin/promotions/coupons/${inactive.id}`).set(bearer(fx.superAdmin)).send({ active: false }).expect(200);
    const expired = await issue({ code: code('OLD'), title: 'Old', points: 10, starts_at: inDays(-3), expires_at: inDays(2) });
    await fx.stack.orm.em.getConnection().execute(`update coupons set expires_at = now() - interval '1 minute' where id = ?`, [expired.id]);
    const later = await issue({ code: code('SOON'), title: 'Soon', points: 10, starts_at: inDays(1), expires_at: inDays(2) });
    const single = await issue({ code: code('ONE'), title: 'One', points: 10, expires_at: inDays(2), total_limit: 1 });
    expect((await apply(await customerToken(fx.stack), single.code)).status).toBe(200);
    const answers = await Promise.all(
      ['NOSUCHCODE', inactive.code, expired.code, later.code, single.code].map(async (c) => {
        const r = await apply(user, c);
        return [r.status, r.body.success, r.body.error?.code];
      }),
    );
    expect(answers).toEqual([
      [404, false, 'COUPON_NOT_FOUND'],
      [422, false, 'COUPON_INACTIVE'],
      [410, false, 'COUPON_EXPIRED'],
      [422, false, 'COUPON_NOT_STARTED'],
      [409, false, 'COUPON_EXHAUSTED'],
    ]);
    expect(await points(user)).toBe(0);
    const bad = await apply(user, '');
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('when 20 users apply a coupon limited to 7 uses at the same moment, then exactly 7 get its points and the rest COUPON_EXHAUSTED', async () => {
    const coupon = await issue({ code: code('RUSH'), title: 'Rush', points: 40, expires_at: inDays(1), total_limit: 7 });
    const users = await Promise.all(Array.from({ length: 20 }, () => customerToken(fx.stack)));
    const answers = await Promise.all(users.map((u) => apply(u, coupon.code)));
    const statuses = answers.map((a) => (a.status === 200 ? 'ok' : a.body.error?.code));
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(7);
    expect(statuses.filter((s) => s === 'COUPON_EXHAUSTED')).toHaveLength(13);
    const balances = await Promise.all(users.map(points));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(7 * 40);
    const [row] = await fx.stack.orm.em
      .getConnection()
      .execute(`select used_count, (select count(*)::int from coupon_redemptions where coupon_id = c.id) as redemptions from coupons c where id = ?`, [
        coupon.id,
      ]);
    expect(row).toEqual({ used_count: 7, redemptions: 7 });
    const listed = await fx.api().get('/api/admin/promotions/coupons?status=exhausted').set(bearer(fx.superAdmin));
    expect(listed.body.data.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: coupon.id, status: 'exhausted', usage: { used: 7, remaining: 0, users: 7, points_awarded: 280 } }),
      ]),
    );
  });

  it('when a super admin lowers a total limit below the uses so far or sends bad fields, then 409 / 400; a valid change is audited with before and after', async () => {
    const coupon = await issue({ code: code('LIM'), title: 'Lim', points: 10, expires_at: inDays(2), total_limit: 5 });
    await apply(await customerToken(fx.stack), coupon.code);
    await apply(await customerToken(fx.stack), coupon.code);
    const below = await fx.api().put(`/api/admin/promotions/coupons/${coupon.id}`).set(bearer(fx.superAdmin)).send({ total_limit: 1 });
    expect({ status: below.status, code: below.body.error?.code }).toEqual({ status: 409, code: 'COUPON_LIMIT_BELOW_USAGE' });
    const bad = await fx.api().put(`/api/admin/promotions/coupons/${coupon.id}`).set(bearer(fx.superAdmin)).send({ points: -3 });
    expect(bad.status).toBe(400);
    const ancient = await fx.api().put(`/api/admin/promotions/coupons/${coupon.id}`).set(bearer(fx.superAdmin)).send({ starts_at: '0021-03-25T17:19:34.897Z' });
    expect(ancient.status).toBe(400);
    expect((await fx.api().get('/api/admin/promotions/coupons').set(bearer(fx.superAdmin))).status).toBe(200);
    const dup = await fx
      .api()
      .post('/api/admin/promotions/coupons')
      .set(bearer(fx.superAdmin))
      .send({ code: coupon.code, title: 'Dup', points: 1, expires_at: inDays(1) });
    expect({ status: dup.status, code: dup.body.error?.code }).toEqual({ status: 409, code: 'COUPON_CODE_TAKEN' });
    const ok = await fx.api().put(`/api/admin/promotions/coupons/${coupon.id}`).set(bearer(fx.superAdmin)).send({ total_limit: 2, title: 'Two' });
    expect(ok.body.data).toMatchObject({ title: 'Two', total_limit: 2, status: 'exhausted' });
    const missing = await fx.api().put(`/api/admin/promotions/coupons/${randomUUID()}`).set(bearer(fx.superAdmin)).send({ title: 'x' });
    expect(missing.status).toBe(404);
    const [entry] = await fx.stack.orm.em
      .getConnection()
      .execute(`select * from admin_audit_log where target_id = ? and status = 200 and action like 'PUT %' order by id desc limit 1`, [coupon.id]);
    expect(entry).toMatchObject({ action: 'PUT /admin/promotions/coupons/{id}', actor_role: 'super_admin', target_type: 'coupon' });
    expect(entry.before).toMatchObject({ title: 'Lim', total_limit: 5 });
    expect(entry.after).toMatchObject({ title: 'Two', total_limit: 2 });
  });

  it('when a coupon expires at an offset RFC 3339 allows and PostgreSQL does not (+18:21), then it is stored at that instant in UTC; a year past 9999 in UTC is a 400', async () => {
    const far = await fx
      .api()
      .post('/api/admin/promotions/coupons')
      .set(bearer(fx.superAdmin))
      .send({ code: code('OFFSET'), title: 'Offset', points: 1, expires_at: '8581-01-16T03:36:16.84+18:21' });
    expect(far.status).toBe(201);
    expect(far.body.data.expires_at).toBe('8581-01-15T09:15:16.840Z');
    const beyond = await fx
      .api()
      .post('/api/admin/promotions/coupons')
      .set(bearer(fx.superAdmin))
      .send({ code: code('BEYOND'), title: 'Beyond', points: 1, expires_at: '9999-12-31T23:59:59-23:59' });
    expect({ status: beyond.status, code: beyond.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const since = await fx
      .api()
      .get('/api/user/notifications?since=2026-01-01T00:00:00%2B18:30')
      .set(bearer(await customerToken(fx.stack)));
    expect(since.status).toBe(200);
  });

  it('when a coupon code or a user search carries a NUL byte, then 400 VALIDATION_ERROR, not a 500', async () => {
    const user = await customerToken(fx.stack);
    const applied = await apply(user, 'AB\u0000CD');
    expect({ status: applied.status, code: applied.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const search = await fx.api().get('/api/admin/users?search=a%00b').set(bearer(fx.superAdmin));
    expect({ status: search.status, code: search.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });
});
