import { isProfileComplete } from '../../src/modules/identity/services/profile.service';
import { useTestStack } from '../support/fixtures';
import { as, createUser, sql, uploadPng } from './helpers';

const FULL = {
  full_name: 'Ram Bahadur Thapa',
  date_of_birth: '1995-04-14',
  gender: 'male',
  address: { line: 'Jhamsikhel Road 12', city: 'Lalitpur', district: 'Lalitpur', province: 'Bagmati', postal_code: '44700' },
};

describe('user profile, wallet, usage stats and the admin user list', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => ({ admin: await createUser(stack, { role: 'admin' }) }));

  it('when a new user opens the profile, then it is incomplete with the missing fields, and one reminder is sent that day', async () => {
    const user = await createUser(fx.stack);
    const res = await as(fx.stack, user.token).get('/api/user/profile');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: user.id,
      phone: user.phone,
      username: user.username,
      is_complete: false,
      missing_fields: ['full_name', 'date_of_birth', 'gender', 'address.line', 'address.city'],
      kyc: { status: 'not_submitted' },
      rental_eligibility: { profile_complete: false, kyc_approved: false },
    });
    await as(fx.stack, user.token).get('/api/users/profile').expect(200);
    const reminders = await sql(fx.stack, `select type, in_app, push, data from notifications where user_id = ? and type = 'profile_reminder'`, [user.id]);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ in_app: true, push: false, data: { action: 'open_profile' } });
    expect(await isProfileComplete(fx.stack.orm, user.id)).toBe(false);
  });

  it('when the profile is filled with PATCH then PUT, then it becomes complete and PUT clears what it leaves out', async () => {
    const user = await createUser(fx.stack);
    const avatar = await uploadPng(fx.stack, user.token, 'avatar');
    const partial = await as(fx.stack, user.token).patch('/api/users/profile', { full_name: 'Sita Gurung', avatar_url: avatar, address: { city: 'Pokhara' } });
    expect(partial.status).toBe(200);
    expect(partial.body.data).toMatchObject({
      full_name: 'Sita Gurung',
      avatar_url: avatar,
      address: { city: 'Pokhara', country_code: 'NP' },
      is_complete: false,
    });
    expect(partial.body.data.missing_fields).toEqual(['date_of_birth', 'gender', 'address.line']);

    const full = await as(fx.stack, user.token).put('/api/user/profile', FULL);
    expect(full.body.data).toMatchObject({ ...FULL, avatar_url: null, is_complete: true, missing_fields: [], rental_eligibility: { profile_complete: true } });
    expect(await isProfileComplete(fx.stack.orm, user.id)).toBe(true);

    const cleared = await as(fx.stack, user.token).patch('/api/user/profile', { gender: null });
    expect(cleared.body.data).toMatchObject({ is_complete: false, missing_fields: ['gender'], full_name: FULL.full_name });
    const got = await as(fx.stack, user.token).get('/api/users/profile');
    expect(got.body.data.address).toEqual({ ...FULL.address, country_code: 'NP' });
  });

  it('when the input is invalid, then 400 names each field (404 for an avatar that is not our upload) and nothing changes', async () => {
    const user = await createUser(fx.stack);
    const young = new Date(Date.now() - 10 * 365 * 86400_000).toISOString().slice(0, 10);
    const bad = await as(fx.stack, user.token).patch('/api/user/profile', {
      date_of_birth: young,
      gender: 'robot',
      address: { country_code: 'QQ', postal_code: '12' },
      nickname: 'x',
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.date_of_birth', 'body.gender', 'body.address.country_code', 'body.address.postal_code']));
    const missing = await as(fx.stack, user.token).put('/api/user/profile', { full_name: 'Only Name' });
    expect(missing.status).toBe(400);
    const foreignAvatar = await as(fx.stack, user.token).patch('/api/user/profile', { avatar_url: 'https://example.com/me.png' });
    expect(foreignAvatar.status).toBe(404);
    expect(foreignAvatar.body.error.details[0].field).toBe('body.avatar_url');
    const after = await as(fx.stack, user.token).get('/api/user/profile');
    expect(after.body.data).toMatchObject({ full_name: null, date_of_birth: null, gender: null, avatar_url: null });
  });

  it('when the wallet and usage stats are read, then the wallet is empty NPR and the stats count real rows', async () => {
    const user = await createUser(fx.stack);
    for (const path of ['/api/user/wallet', '/api/users/wallet']) {
      expect((await as(fx.stack, user.token).get(path)).body.data).toEqual({
        currency: 'NPR',
        balance: '0.00',
        balance_minor: 0,
        points: 0,
        points_value: '0.00',
        due: '0.00',
        due_minor: 0,
      });
    }
    await as(fx.stack, user.token).get('/api/user/profile'); // one unread reminder
    const [station] = await sql<{ id: string }>(
      fx.stack,
      `insert into stations (id, sn, name, latitude, longitude, slot_count) values (gen_random_uuid(), ?, 'Stats', 27.7, 85.3, 0) returning id`,
      [`ST-${user.id.slice(0, 8)}`],
    );
    await sql(fx.stack, `insert into station_favorites (user_id, station_id) values (?, ?)`, [user.id, station.id]);
    for (const path of ['/api/user/analytics/usage-stats', '/api/users/analytics/usage-stats']) {
      const stats = await as(fx.stack, user.token).get(path);
      expect(stats.body.data).toMatchObject({
        rentals: { total: 0 },
        topups: { count: 0 },
        points: { balance: 0 },
        stations: { favorites: 1, issue_reports: 0 },
        notifications: { unread: 1 },
      });
    }
  });

  it('when an admin lists users, then filters by role, KYC status, completeness and search work with pagination', async () => {
    const tag = `dir${Date.now()}`;
    const complete = await createUser(fx.stack, { username: `${tag}_a` });
    const incomplete = await createUser(fx.stack, { username: `${tag}_b` });
    await as(fx.stack, complete.token).put('/api/user/profile', FULL).expect(200);
    const list = (q: string) => as(fx.stack, fx.admin.token).get(`/api/users?search=${tag}&${q}`);
    const all = await list('ordering=username&page_size=1');
    expect(all.body.data.pagination).toEqual({ page: 1, page_size: 1, total: 2, total_pages: 2 });
    expect(all.body.data.results[0]).toMatchObject({ id: complete.id, kyc_status: 'not_submitted', profile_complete: true, full_name: FULL.full_name });
    expect((await list('profile_complete=false')).body.data.results.map((u: { id: string }) => u.id)).toEqual([incomplete.id]);
    expect((await list('kyc_status=approved')).body.data.results).toEqual([]);
    expect((await list('role=admin')).body.data.results).toEqual([]);
    expect((await as(fx.stack, fx.admin.token).get('/api/users?page_size=101')).status).toBe(400);
  });
});
