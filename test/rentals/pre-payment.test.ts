import request from 'supertest';
import { ledgerInvariants } from '../money/support';
import { eventually } from '../support/stack';
import { api, balances, createRenter, entriesOf, inventoryOf, rentalInStatus, sql, startBody, useRentalStack } from './support';

/** Pre-payment rentals end to end over HTTP: real broker, simulator, Temporal and ledger. */
describe('pre-payment rental', () => {
  const fx = useRentalStack();

  it('when a renter with wallet money starts and returns, then the price is taken before the ejection, the inventory follows and the return settles with +5 points', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(res.status).toBe(201);
    const rental = res.body.data;
    expect(rental).toMatchObject({
      status: 'active',
      payment_status: 'paid',
      payment_model: 'pre_payment',
      station_sn: fx.sim.sn,
      charges: { paid: { amount: '20.00', amount_minor: 2000 } },
    });
    expect(rental.slot).toEqual(expect.any(Number));
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 8000, points: 0 });
    // The bay is empty and the power bank is out, rented.
    await eventually(async () => (await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).slot === null);
    expect((await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).powerBank).toMatchObject({ status: 'rented', station_sn: null });
    expect((await api(fx.stack, renter.token).get('/rentals/active')).body.data).toMatchObject({ id: rental.id, status: 'active' });
    // While the power bank is out the account cannot be erased.
    const erase = await request(fx.stack.baseUrl).delete('/api/auth/account').set('Authorization', `Bearer ${renter.token}`);
    expect(erase.status).toBe(409);
    expect(JSON.stringify(erase.body)).toContain('OPEN_RENTAL');

    const slot = await fx.sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    expect(done).toMatchObject({ payment_status: 'paid', return_station_sn: fx.sim.sn, return_slot_index: slot, fine_minor: '0', due_minor: '0' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 8000, points: 10 }); // +5 completed, +5 timely-return bonus
    expect((await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).powerBank).toMatchObject({
      status: 'available',
      station_sn: fx.sim.sn,
      slot_index: slot,
    });
    expect((await entriesOf(fx.stack, `rental-charge:${rental.id}`)).length).toBe(1);
    const notes = await eventually(async () => {
      const rows = await sql(fx.stack, `select type, title from notifications where user_id = ? order by created_at`, [renter.id]);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(notes.map((n) => n.type)).toEqual(['rental_status', 'rental_status']);
    expect((await api(fx.stack, renter.token).get('/rentals/active')).body.data).toBeNull();
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});

describe('pre-payment rental: payment modes, extensions, cancel', () => {
  const fx = useRentalStack();

  const returnAndSettle = async (rental: { id: string; power_bank_sn: string }, status = ['completed']) => {
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    return rentalInStatus(fx.stack, rental.id, status);
  };

  it('when the renter has points, then points pay first and the wallet the rest; points_only and wallet_only are honoured', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000, points: 150 });
    const first = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'points_first'));
    expect(first.status).toBe(201);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 4500, points: 0 }); // 150 points = NPR 15, NPR 5 from the wallet
    await returnAndSettle(first.body.data);

    const walletOnly = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'wallet_only'));
    expect(walletOnly.status).toBe(201);
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 2500, points: 10 });
    await returnAndSettle(walletOnly.body.data);

    const pointsOnly = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'points_only'));
    expect(pointsOnly.status).toBe(402);
    expect(pointsOnly.body).toMatchObject({ success: false, error: { code: 'INSUFFICIENT_BALANCE', details: { shortfall_minor: 1800, shortfall: '18.00' } } });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 2500, points: 20 });
  });

  it('when the balance does not cover the package, then 402 with the shortfall and no rental is created', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 500 });
    const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { shortfall_minor: 1500 } });
    expect(await sql(fx.stack, 'select id from rentals where user_id = ?', [renter.id])).toEqual([]);
  });

  it('when the renter extends, then the extra package is paid and the due time moves; without money the extension fails with the shortfall', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 6000 });
    const start = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    const rental = start.body.data;
    const ext = await api(fx.stack, renter.token).post(`/rentals/${rental.id}/extend`, { package_id: fx.pkg.hour });
    expect(ext.status).toBe(200);
    expect(ext.body.data.extension).toMatchObject({ minutes: 60, charged_minor: 2000 });
    expect(new Date(ext.body.data.rental.due_at).getTime() - new Date(rental.due_at).getTime()).toBe(60 * 60_000);
    expect(ext.body.data.rental).toMatchObject({ extensions: 1, charges: { paid: { amount_minor: 4000 } } });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 2000, points: 0 });

    const tooMuch = await api(fx.stack, renter.token).post(`/rentals/${rental.id}/extend`, { package_id: fx.pkg.twoHours });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { shortfall_minor: 1500 } });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 2000, points: 0 });

    const done = await returnAndSettle(rental);
    expect(done).toMatchObject({ extensions: 1, paid_minor: '4000', fine_minor: '0' });
    expect((await entriesOf(fx.stack, `rental-extend:${rental.id}`)).length).toBe(1);
  });

  it('when the renter cancels right after the ejection and puts the power bank back, then the rental is cancelled and fully refunded', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 3000, points: 50 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 1500, points: 0 });
    const cancel = await api(fx.stack, renter.token).post(`/rentals/${rental.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.data.rental.status).toBe('cancelling');
    expect(new Date(cancel.body.data.return_by).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    const done = await returnAndSettle(rental, ['cancelled']);
    expect(done).toMatchObject({ payment_status: 'refunded', usage_minor: '0', fine_minor: '0' });
    // Points back to points, wallet back to wallet; no rental points for a cancelled rental.
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 50 });
    expect((await entriesOf(fx.stack, `refund:rental-charge:${rental.id}`)).length).toBe(1);
    expect((await api(fx.stack, renter.token).post(`/rentals/${rental.id}/cancel`)).body.error.code).toBe('RENTAL_NOT_ACTIVE');
  });

  it('when a referred renter completes a first rental, then both sides get their referral points once, and only the first rental awards them', async () => {
    const inviter = await createRenter(fx.stack);
    const invitee = await createRenter(fx.stack, { walletMinor: 10_000 });
    await sql(fx.stack, `insert into referrals (invitee_id, inviter_id, code) values (?, ?, 'RTCODE01')`, [invitee.id, inviter.id]);
    for (let i = 0; i < 2; i++) {
      const rental = (await api(fx.stack, invitee.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'pre_payment', 'wallet_only'))).body.data;
      await returnAndSettle(rental);
    }
    expect(await balances(fx.stack, inviter.id)).toEqual({ walletMinor: 0, points: 100 });
    expect(await balances(fx.stack, invitee.id)).toEqual({ walletMinor: 6000, points: 50 + 2 * (5 + 5) }); // two on-time rentals: +5 and the +5 timely bonus each
    expect((await sql(fx.stack, 'select status from referrals where invitee_id = ?', [invitee.id]))[0].status).toBe('awarded');
  });
});
