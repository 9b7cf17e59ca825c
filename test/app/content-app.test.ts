import { randomUUID } from 'node:crypto';
import { DEFAULT_FAQ } from '../../src/db/migrations/engagement-defaults';
import { useTestStack } from '../support/fixtures';
import { as, createUser } from './helpers';

describe('app info (version, countries, banners) and content pages', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => ({ admin: await createUser(stack, { role: 'admin' }) }));

  it('when the countries are listed, then all ~250 come with ISO codes, dialing codes and flags, Nepal +977', async () => {
    const res = await as(fx.stack).get('/api/app/countries');
    expect(res.body.data.count).toBeGreaterThan(200);
    expect(res.body.data.results.length).toBe(res.body.data.count);
    expect(res.body.data.results.find((c: { code: string }) => c.code === 'NP')).toEqual({
      code: 'NP',
      iso3: 'NPL',
      name: 'Nepal',
      dial_code: '+977',
      flag: '🇳🇵',
    });
    expect(res.body.data.results.every((c: { dial_code: string; code: string }) => /^\+\d{1,4}$/.test(c.dial_code) && /^[A-Z]{2}$/.test(c.code))).toBe(true);
    expect(new Set(res.body.data.results.map((c: { code: string }) => c.code)).size).toBe(res.body.data.count);
    const search = await as(fx.stack).get('/api/app/countries?search=977');
    expect(search.body.data.results.map((c: { code: string }) => c.code)).toEqual(['NP']);
  });

  it('when an app checks its version, then below the minimum must update, below the latest may update', async () => {
    const set = await as(fx.stack, fx.admin.token).put('/api/admin/app/version/android', {
      latest_version: '1.4.0',
      minimum_version: '1.2.0',
      store_url: 'https://play.google.com/store/apps/details?id=np.chargeghar',
    });
    expect(set.status).toBe(200);
    const check = async (v: string) => (await as(fx.stack).get(`/api/app/version?platform=android&version=${v}`)).body.data;
    expect(await check('1.1.9')).toMatchObject({ latest_version: '1.4.0', minimum_version: '1.2.0', update_required: true, update_available: true });
    expect(await check('1.2')).toMatchObject({ update_required: false, update_available: true });
    expect(await check('1.4.0')).toMatchObject({ update_required: false, update_available: false });
    expect(await check('1.10.0')).toMatchObject({ update_required: false, update_available: false });
    const both = await as(fx.stack).get('/api/app/version');
    expect(both.body.data.results.map((v: { platform: string }) => v.platform)).toEqual(['android', 'ios']);
    const eachPlatform = await as(fx.stack).get('/api/app/version?version=1.1.9');
    expect(eachPlatform.body.data.results.find((v: { platform: string }) => v.platform === 'android')).toMatchObject({ update_required: true });
    expect((await as(fx.stack).get('/api/app/version?platform=android&version=one')).status).toBe(400);
    const inverted = await as(fx.stack, fx.admin.token).put('/api/admin/app/version/ios', { latest_version: '1.0.0', minimum_version: '2.0.0' });
    expect(inverted.status).toBe(400);
    const updates = await as(fx.stack).get('/api/content/app-updates');
    expect(updates.body.data).toMatchObject({ slug: 'app-updates' });
    expect(updates.body.data.versions.find((v: { platform: string }) => v.platform === 'android').latest_version).toBe('1.4.0');
  });

  it('when banners are scheduled, then only active ones inside their window show, in sort order', async () => {
    const tag = randomUUID().slice(0, 8);
    const hour = 3600_000;
    const make = (title: string, extra: object) =>
      as(fx.stack, fx.admin.token).post('/api/admin/banners', { title: `${tag} ${title}`, image_url: 'https://cdn.example/b.png', ...extra });
    await make('second', { sort_order: 20 }).expect(201);
    await make('first', { sort_order: 10, starts_at: new Date(Date.now() - hour).toISOString(), ends_at: new Date(Date.now() + hour).toISOString() }).expect(
      201,
    );
    await make('future', { sort_order: 1, starts_at: new Date(Date.now() + hour).toISOString() }).expect(201);
    await make('expired', { sort_order: 1, ends_at: new Date(Date.now() - hour).toISOString() }).expect(201);
    const off = await make('inactive', { sort_order: 1, active: false });
    const bad = await make('bad', { starts_at: new Date(Date.now() + hour).toISOString(), ends_at: new Date().toISOString() });
    expect(bad.status).toBe(400);
    const shown = await as(fx.stack).get('/api/app/banners?page_size=100');
    const mine = shown.body.data.results.filter((b: { title: string }) => b.title.startsWith(tag)).map((b: { title: string }) => b.title);
    expect(mine).toEqual([`${tag} first`, `${tag} second`]);
    await as(fx.stack, fx.admin.token).put(`/api/admin/banners/${off.body.data.id}`, { active: true }).expect(200);
    const after = await as(fx.stack).get('/api/app/banners?page_size=100');
    expect(after.body.data.results.filter((b: { title: string }) => b.title.startsWith(tag))[0].title).toBe(`${tag} inactive`);
    expect((await as(fx.stack, fx.admin.token).delete(`/api/admin/banners/${off.body.data.id}`)).body.data.deleted).toBe(true);
  });

  it('when the content pages are read, then seeded defaults exist, and an admin edit shows up', async () => {
    for (const page of ['terms-of-service', 'privacy-policy', 'about', 'contact']) {
      const res = await as(fx.stack).get(`/api/content/${page}`);
      expect(res.status).toBe(200);
      expect(res.body.data.slug).toBe(page);
      expect(res.body.data.body.length).toBeGreaterThan(20);
    }
    expect((await as(fx.stack).get('/api/content/contact')).body.data.data.email).toContain('@');
    const edit = await as(fx.stack, fx.admin.token).put('/api/admin/content/about', { title: 'About us', body: '# About\nNew text.' });
    expect(edit.body.data).toMatchObject({ slug: 'about', title: 'About us' });
    expect((await as(fx.stack).get('/api/content/about')).body.data.body).toBe('# About\nNew text.');
    expect((await as(fx.stack, fx.admin.token).put('/api/admin/content/faq', { title: 'x' })).status).toBe(405); // /admin/content/faq is its own resource (no PUT), not a :page
    expect((await as(fx.stack, fx.admin.token).put('/api/admin/content/about', {})).status).toBe(400);
  });

  it('when admins manage FAQ items, then the public FAQ follows (categories, search, inactive hidden)', async () => {
    const seeded = await as(fx.stack).get('/api/content/faq?page_size=100');
    // The eight questions the engagement migration seeds are all there (other files may add their own).
    expect(DEFAULT_FAQ).toHaveLength(8);
    expect(seeded.body.data.results.map((f: { question: string }) => f.question)).toEqual(expect.arrayContaining(DEFAULT_FAQ.map((f) => f.question)));
    expect(seeded.body.data.categories).toEqual(expect.arrayContaining(['account', 'payments', 'rentals']));
    const created = await as(fx.stack, fx.admin.token).post('/api/admin/content/faq', {
      question: 'Can I return to a different station?',
      answer: 'Yes, any ChargeGhar station.',
      category: 'zz-test',
      sort_order: 1,
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await as(fx.stack).get('/api/content/faq?category=zz-test')).body.data.results.map((f: { id: string }) => f.id)).toEqual([id]);
    expect((await as(fx.stack).get('/api/content/faq?search=different%20station')).body.data.results.map((f: { id: string }) => f.id)).toEqual([id]);
    await as(fx.stack, fx.admin.token).put(`/api/admin/content/faq/${id}`, { active: false }).expect(200);
    expect((await as(fx.stack).get('/api/content/faq?category=zz-test')).body.data.results).toEqual([]);
    expect((await as(fx.stack, fx.admin.token).get('/api/admin/content/faq?category=zz-test')).body.data.results).toHaveLength(1);
    await as(fx.stack, fx.admin.token).delete(`/api/admin/content/faq/${id}`).expect(200);
    expect((await as(fx.stack, fx.admin.token).delete(`/api/admin/content/faq/${id}`)).status).toBe(404);
  });
});
