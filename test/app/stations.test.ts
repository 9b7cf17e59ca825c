import { randomUUID } from 'node:crypto';
import { useTestStack } from '../support/fixtures';
import { createTestStation } from '../support/stack';
import { as, createUser, sql, uploadPng } from './helpers';

describe('stations: list, detail, favorites and issue reports', () => {
  const tag = `S${randomUUID().slice(0, 6).toUpperCase()}`;
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => {
    const user = await createUser(stack);
    const admin = await createUser(stack, { role: 'admin' });
    const online = await createTestStation(stack.orm, { sn: `${tag}ON`, online: true });
    const offline = await createTestStation(stack.orm, { sn: `${tag}OFF`, online: false });
    const empty = await createTestStation(stack.orm, { sn: `${tag}EMPTY`, online: true, slots: 2 }); // 2 slots, both empty
    // One docked power bank too flat to rent at the online station.
    await sql(stack, `update slots set battery_level = 5 where index = 1 and station_id = (select id from stations where sn = ?)`, [online]);
    return { user, admin, online, offline, empty };
  });

  it('when stations are listed with filters, then status, availability, search and pagination apply', async () => {
    const list = (q: string) => as(fx.stack).get(`/api/app/stations?search=${tag}&${q}`);
    const all = await list('page_size=2');
    expect(all.body.data.pagination).toEqual({ page: 1, page_size: 2, total: 3, total_pages: 2 });
    // A page far past the end is empty and keeps the list's own total (found by schemathesis: page 2^53-2 answered a total of 1.8e17).
    const past = await list('page_size=20&page=9007199254740990');
    expect(past.body.data).toEqual({ results: [], pagination: { page: 9007199254740990, page_size: 20, total: 3, total_pages: 1 } });
    const byName = (await list('page_size=10')).body.data.results.map((s: { sn: string }) => s.sn);
    expect(byName).toEqual([fx.empty, fx.offline, fx.online].sort((a, b) => `Test ${a}`.localeCompare(`Test ${b}`)));
    expect((await list('status=offline')).body.data.results.map((s: { sn: string }) => s.sn)).toEqual([fx.offline]);
    expect((await list('has_available=false')).body.data.results.map((s: { sn: string }) => s.sn)).toEqual([fx.empty]);
    const on = (await list('status=online&has_available=true')).body.data.results;
    expect(on).toHaveLength(1);
    expect(on[0]).toMatchObject({ sn: fx.online, status: 'online', total_slots: 8, available_power_banks: 5, empty_slots: 2 });
    // LIKE wildcards in the search text are literal: "%" matches no station name.
    expect((await as(fx.stack).get('/api/app/stations?search=%25')).body.data.pagination.total).toBe(0);
  });

  it('when a station is opened, then its slots, battery levels and rentability show; unknown is 404', async () => {
    const res = await as(fx.stack).get(`/api/app/stations/${fx.online}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ sn: fx.online, online: true, maintenance: false, available_power_banks: 5, min_rentable_battery: 20 });
    expect(res.body.data.slots).toHaveLength(8);
    expect(res.body.data.slots[0]).toMatchObject({ index: 1, status: 'occupied', has_power_bank: true, battery_level: 5, rentable: false });
    expect(res.body.data.slots[1]).toMatchObject({ index: 2, battery_level: 90, rentable: true });
    expect(res.body.data.slots[7]).toMatchObject({ index: 8, status: 'empty', has_power_bank: false, rentable: false });
    await sql(fx.stack, `update stations set maintenance = true where sn = ?`, [fx.offline]);
    expect((await as(fx.stack).get(`/api/app/stations/${fx.offline}`)).body.data.status).toBe('maintenance');
    expect((await as(fx.stack).get(`/api/app/stations?search=${tag}&status=maintenance`)).body.data.results.map((s: { sn: string }) => s.sn)).toEqual([
      fx.offline,
    ]);
    expect((await as(fx.stack).get('/api/app/stations/NOPE-404')).status).toBe(404);
  });

  it('when a user favorites stations, then the list shows them, repeats are harmless and removal works', async () => {
    const u = as(fx.stack, fx.user.token);
    const first = await u.post(`/api/stations/${fx.online}/favorite`);
    expect(first.body.data).toMatchObject({ sn: fx.online, is_favorite: true });
    const again = await u.post(`/api/stations/${fx.online}/favorite`);
    expect(again.body.data.favorited_at).toBe(first.body.data.favorited_at);
    await u.post(`/api/stations/${fx.empty}/favorite`).expect(200);
    const favs = await u.get('/api/stations/favorites');
    expect(favs.body.data.results.map((s: { sn: string }) => s.sn)).toEqual([fx.empty, fx.online]);
    expect(favs.body.data.results[1]).toMatchObject({ available_power_banks: 5 });
    expect((await u.get('/api/stations/favorites?has_available=true')).body.data.results.map((s: { sn: string }) => s.sn)).toEqual([fx.online]);
    expect((await u.delete(`/api/stations/${fx.empty}/favorite`)).body.data).toEqual({ sn: fx.empty, is_favorite: false, removed: true });
    expect((await u.delete(`/api/stations/${fx.empty}/favorite`)).body.data.removed).toBe(false);
    expect((await u.get('/api/stations/favorites')).body.data.pagination.total).toBe(1);
    expect((await u.post('/api/stations/NOPE-404/favorite')).status).toBe(404);
    expect((await as(fx.stack).get('/api/stations/favorites')).status).toBe(401);
  });

  it('when a user reports issues, then they appear in my-reports and the station issues, duplicates are refused, admins resolve them', async () => {
    const u = as(fx.stack, fx.user.token);
    const photo = await uploadPng(fx.stack, fx.user.token, 'issue_report');
    const r = await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'damaged', description: 'Screen cracked', image_urls: [photo] });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ type: 'damaged', status: 'open', image_urls: [photo], station: { sn: fx.offline }, reported_by_me: true });
    const dup = await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'damaged' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE_REPORT');
    await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'offline' }).expect(201);
    const other = await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'other' });
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe('body.description');
    expect((await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'broken' })).status).toBe(400);
    expect((await u.post(`/api/stations/${fx.offline}/report-issue`, { type: 'dirty', image_urls: ['https://x.example/a.png'] })).status).toBe(404);

    const mine = await u.get(`/api/stations/my-reports?sn=${fx.offline}`);
    expect(mine.body.data.results.map((x: { type: string }) => x.type)).toEqual(['offline', 'damaged']);
    const someoneElse = await createUser(fx.stack);
    const issues = await as(fx.stack, someoneElse.token).get(`/api/stations/${fx.offline}/issues?type=damaged`);
    expect(issues.body.data.results).toHaveLength(1);
    expect(issues.body.data.results[0]).toMatchObject({ id: r.body.data.id, reported_by_me: false });
    expect(issues.body.data.results[0]).not.toHaveProperty('user_id');

    const resolved = await as(fx.stack, fx.admin.token).patch(`/api/admin/station-issues/${r.body.data.id}`, {
      status: 'resolved',
      resolution_note: 'Screen replaced',
    });
    expect(resolved.body.data).toMatchObject({ status: 'resolved', resolution_note: 'Screen replaced' });
    expect(resolved.body.data.resolved_at).not.toBeNull();
    expect((await u.get(`/api/stations/my-reports?status=resolved`)).body.data.results.map((x: { id: string }) => x.id)).toEqual([r.body.data.id]);
    expect((await as(fx.stack, fx.admin.token).get(`/api/admin/station-issues?sn=${fx.offline}&status=open`)).body.data.pagination.total).toBe(1);
  });
});
