import { adminToken, createTestStation, eventually } from '../support/stack';
import { api, createRenter, rentalInStatus, sql, startBody, startKiosk, useRentalStack } from './support';

/** Who may rent where, one rental at a time, and what a renter can do with a rental besides returning it. */
describe('rental prerequisites and rental actions', () => {
  const fx = useRentalStack();

  const start = async (opts: Parameters<typeof createRenter>[1] = { walletMinor: 10_000 }, body?: object) => {
    const renter = await createRenter(fx.stack, opts);
    return api(fx.stack, renter.token).post('/rentals/start', body ?? startBody(fx.sim, fx.pkg.hour));
  };

  it('when nobody is logged in, the profile is incomplete or KYC is not approved, then 401, 403 PROFILE_INCOMPLETE and 403 KYC_NOT_APPROVED', async () => {
    expect((await api(fx.stack).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).status).toBe(401);
    const noProfile = await start({ walletMinor: 10_000, profile: false });
    expect(noProfile.status).toBe(403);
    expect(noProfile.body.error.code).toBe('PROFILE_INCOMPLETE');
    const noKyc = await start({ walletMinor: 10_000, kyc: false });
    expect(noKyc.status).toBe(403);
    expect(noKyc.body.error.code).toBe('KYC_NOT_APPROVED');
  });

  it('when the station is unknown, offline or in maintenance, or the body is malformed, then 404, 409 STATION_OFFLINE, 409 STATION_MAINTENANCE and 400', async () => {
    expect((await start(undefined, { ...startBody(fx.sim, fx.pkg.hour), station_sn: 'NOPE-1' })).status).toBe(404);
    const offline = await createTestStation(fx.stack.orm, { online: false });
    expect((await start(undefined, { ...startBody(fx.sim, fx.pkg.hour), station_sn: offline })).body.error.code).toBe('STATION_OFFLINE');
    const admin = await adminToken(fx.stack);
    await api(fx.stack, admin).post(`/admin/stations/${fx.sim.sn}/maintenance`, { maintenance: true });
    try {
      const res = await start();
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('STATION_MAINTENANCE');
    } finally {
      await api(fx.stack, admin).post(`/admin/stations/${fx.sim.sn}/maintenance`, { maintenance: false });
    }
    const bad = await start(undefined, { station_sn: fx.sim.sn, package_id: 'x', payment_model: 'later' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.package_id', 'body.payment_model']);
  });

  it('when no power bank is charged enough, then 409 NO_POWER_BANK_AVAILABLE', async () => {
    const flat = await startKiosk(fx.stack, { batteryLevel: 10 }); // its heartbeat reports every power bank at 10 %
    try {
      const res = await start(undefined, startBody(flat, fx.pkg.hour));
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'NO_POWER_BANK_AVAILABLE', details: { min_battery_percent: 20 } });
    } finally {
      await flat.stop();
    }
  });

  it('when one user starts twice at the same moment, then exactly one rental exists and the other request gets 409 RENTAL_ALREADY_ACTIVE', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const [a, b] = await Promise.all([0, 1].map(() => api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))));
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('RENTAL_ALREADY_ACTIVE');
    const rows = await sql(fx.stack, 'select id, power_bank_sn from rentals where user_id = ?', [renter.id]);
    expect(rows).toHaveLength(1);
    // Only one charge was taken.
    expect((await sql(fx.stack, `select count(*)::int n from journal_entries where user_id = ? and type = 'rental_charge'`, [renter.id]))[0].n).toBe(1);
    await fx.sim.returnPowerBank(rows[0].power_bank_sn);
    await rentalInStatus(fx.stack, rows[0].id, ['completed']);
  });

  it('when two users start at the same kiosk at once, then they get different power banks', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.data.power_bank_sn).not.toBe(b.body.data.power_bank_sn);
    for (const r of [a, b]) await fx.sim.returnPowerBank(r.body.data.power_bank_sn);
    for (const r of [a, b]) await rentalInStatus(fx.stack, r.body.data.id, ['completed']);
  });

  it('when the renter syncs GPS, reports an issue and reads active, detail and filtered history, then each is stored and shown', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const me = api(fx.stack, renter.token);
    const first = (await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    const loc = await me.post(`/rentals/${first.id}/location`, { latitude: 27.7172, longitude: 85.324, accuracy: 12.5 });
    expect(loc.status).toBe(201);
    expect((await me.post(`/rentals/${first.id}/location`, { latitude: 120, longitude: 0 })).status).toBe(400);
    const issue = await me.post(`/rentals/${first.id}/report-issue`, { issue_type: 'not_charging', description: 'LED stays off' });
    expect(issue.status).toBe(201);
    expect(issue.body.data).toMatchObject({ issue_type: 'not_charging', status: 'open', power_bank_sn: first.power_bank_sn });
    expect(await sql(fx.stack, 'select latitude, longitude, accuracy_m from rental_locations where rental_id = ?', [first.id])).toEqual([
      { latitude: 27.7172, longitude: 85.324, accuracy_m: 12.5 },
    ]);
    // Someone else's rental is not found.
    const other = await createRenter(fx.stack);
    expect((await api(fx.stack, other.token).post(`/rentals/${first.id}/location`, { latitude: 1, longitude: 1 })).status).toBe(404);

    await fx.sim.returnPowerBank(first.power_bank_sn);
    await rentalInStatus(fx.stack, first.id, ['completed']);
    expect((await me.post(`/rentals/${first.id}/location`, { latitude: 1, longitude: 1 })).body.error.code).toBe('RENTAL_NOT_ACTIVE');
    const second = (await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'))).body.data;

    const history = await me.get('/rentals/history?page_size=1');
    expect(history.body.data.pagination).toEqual({ page: 1, page_size: 1, total: 2, total_pages: 2 });
    expect(history.body.data.results[0].id).toBe(second.id);
    const completed = await me.get('/rentals/history?status=completed');
    expect(completed.body.data.results.map((r: { id: string }) => r.id)).toEqual([first.id]);
    expect((await me.get('/rentals/history?payment_model=post_payment')).body.data.results.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect((await me.get('/rentals/history?status=teleported')).status).toBe(400);
    const detail = await me.get(`/rentals/${first.id}`);
    expect(detail.body.data.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['ejected', 'returned']));

    await fx.sim.returnPowerBank(second.power_bank_sn);
    await rentalInStatus(fx.stack, second.id, ['completed']);
  });

  it('when a power bank is returned with no open rental, then the return is recorded for admins and the inventory takes it back', async () => {
    const stray = await startKiosk(fx.stack);
    try {
      const slot = await stray.returnPowerBank('PB-STRAY-0001');
      const admin = await adminToken(fx.stack);
      const list = await eventually(async () => {
        const res = await api(fx.stack, admin).get('/admin/rentals/returns?outcome=unmatched');
        return res.body.data.results.find((r: { power_bank_sn: string }) => r.power_bank_sn === 'PB-STRAY-0001');
      });
      expect(list).toMatchObject({ station_sn: stray.sn, slot, rental_id: null, outcome: 'unmatched' });
      expect((await sql(fx.stack, `select status from power_banks where sn = 'PB-STRAY-0001'`))[0].status).toBe('available');
    } finally {
      await stray.stop();
    }
  });
});
