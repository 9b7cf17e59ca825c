import { api, balances, createRenter, entriesOf, startBody, useRentalStack } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * A rider's app retries an extension without an Idempotency-Key (a lost response, a double tap):
 * the retry is the same extension, paid once. Before, every call without a key extended and
 * charged again.
 */
describe('faults: an extension asked twice without an Idempotency-Key', () => {
  const fx = useRentalStack();

  it('when the same extension is sent twice at once and again right after, then it is paid and applied once and every call sees the same outcome', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 8000, points: 0 });

    const extend = () => api(fx.stack, renter.token).post(`/rentals/${rental.id}/extend`, { package_id: fx.pkg.hour });
    const [a, b] = await Promise.all([extend(), extend()]);
    const c = await extend();
    for (const res of [a, b, c]) expect(res.status).toBe(200);
    expect(new Set([a, b, c].map((r) => r.body.data.rental.due_at)).size).toBe(1);
    expect([a, b, c].map((r) => r.body.data.rental.extensions)).toEqual([1, 1, 1]);
    expect((await entriesOf(fx.stack, `rental-extend:${rental.id}`)).length).toBe(1);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 6000, points: 0 });

    // Another package is another extension; so is one a client names with its own key.
    expect((await api(fx.stack, renter.token).post(`/rentals/${rental.id}/extend`, { package_id: fx.pkg.twoHours })).status).toBe(200);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 2500, points: 0 });
    expect((await entriesOf(fx.stack, `rental-extend:${rental.id}`)).length).toBe(2);
    expect(await strandedState(fx.stack, [renter.id])).toEqual({ ...NOTHING_STRANDED, stray: [`rentals ${rental.id} active`] });
  });
});
