import { useTestStack } from '../support/fixtures';
import { eventually } from '../support/stack';
import { api, createRenter, ensurePackages, startBody, startKiosk } from './support';

/**
 * One threshold for "charged enough": what the app shows as available is what rental start will
 * eject, also when an operator raises RENTAL_MIN_BATTERY_PERCENT above the default 20 %.
 */
describe('the rentable battery threshold is configurable and the same everywhere', () => {
  const fx = useTestStack({ env: { RENTAL_MIN_BATTERY_PERCENT: '60' } }, async ({ stack }, scope) => ({
    pkg: await ensurePackages(stack),
    // The kiosk's heartbeat reports bay 1 just below the threshold, bay 2 exactly at it, bays 3-6 well under; 7-8 are empty.
    sim: await scope.use(startKiosk(stack, { batteryLevels: [59, 60, 30, 30, 30, 30] }), (k) => k.stop()),
  }));

  const available = async (path: string) => {
    const res = await api(fx.stack).get(path);
    expect(res.status).toBe(200);
    const list = res.body.data.results ?? [res.body.data];
    return list.find((s: { sn: string }) => s.sn === fx.sim.sn)?.available_power_banks;
  };

  it('when the threshold is 60 %, then list, nearby and detail count only banks at 60 % or more and rental start ejects that one', async () => {
    const detail = (await api(fx.stack).get(`/app/stations/${fx.sim.sn}`)).body.data;
    expect(detail).toMatchObject({ available_power_banks: 1, min_rentable_battery: 60 });
    expect(detail.slots.slice(0, 3).map((s: { battery_level: number; rentable: boolean }) => [s.battery_level, s.rentable])).toEqual([
      [59, false],
      [60, true],
      [30, false],
    ]);
    expect(await available(`/app/stations?search=${fx.sim.sn}`)).toBe(1);
    expect(await available('/app/stations/nearby?lat=27.7&lng=85.3&radius=100&page_size=100')).toBe(1);

    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(res.status).toBe(201);
    expect(res.body.data.slot).toBe(2);
  });

  it('when no bank reaches the threshold, then the app shows none available and rental start refuses with the threshold named', async () => {
    await eventually(async () => (await available(`/app/stations?search=${fx.sim.sn}`)) === 0);
    expect((await api(fx.stack).get(`/app/stations?search=${fx.sim.sn}&has_available=false`)).body.data.results.map((s: { sn: string }) => s.sn)).toEqual([
      fx.sim.sn,
    ]);
    const other = await createRenter(fx.stack, { walletMinor: 10_000 });
    const res = await api(fx.stack, other.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'NO_POWER_BANK_AVAILABLE', details: { min_battery_percent: 60 } });
  });
});
