import request from 'supertest';
import { fundWallet, ledgerInvariants } from '../money/support';
import { LedgerService } from '../../src/modules/ledger/services/ledger.service';
import { onTimeSkipping, timeSkippingIn, useFixture } from '../support/fixtures';
import { eventually } from '../support/stack';
import { api, balances, createRenter, givePoints, rentalInStatus, rentalStackIn, sql, startBody } from './support';

const MIN = 60_000;

/**
 * Hours of rental in seconds: the API, bridge and worker talk to Temporal's time-skipping test
 * server while the kiosk simulator, broker, PostgreSQL and ledger are the real ones. `env.sleep`
 * moves the workflow clock; ejects and returns still travel over MQTT.
 */
describe('rental timers in skipped time', () => {
  const fx = useFixture(
    async (s) => {
      const env = await timeSkippingIn(s);
      return { env, ...(await rentalStackIn(s, onTimeSkipping(env))) };
    },
    { timeoutMs: 60_000 },
  );

  const eventsOf = (rentalId: string) =>
    sql(fx.stack, 'select type from rental_events where rental_id = ? order by id', [rentalId]).then((r) => r.map((e) => e.type));
  const notesOf = (userId: string) => sql(fx.stack, 'select type, title from notifications where user_id = ? order by created_at', [userId]);

  it('when a pre-payment rental runs 40 minutes late, then the Time Alert comes 15 minutes before the due time, it turns overdue and the return charges 3 started periods of fine', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect(rental.status).toBe('active');

    await fx.env.sleep(46 * MIN);
    await eventually(async () => (await eventsOf(rental.id)).includes('time_alert'));
    expect((await sql(fx.stack, 'select status from rentals where id = ?', [rental.id]))[0].status).toBe('active');
    expect((await notesOf(renter.id)).map((n) => n.type)).toContain('rental_time_alert');
    // FCM + in-app: the push is logged (and sent by its notify workflow) next to the inbox row.
    const pushes = await sql(
      fx.stack,
      `select f.status from fcm_logs f join notifications n on n.id = f.notification_id where n.user_id = ? and n.type = 'rental_time_alert'`,
      [renter.id],
    );
    expect(pushes).toHaveLength(1);

    await fx.env.sleep(15 * MIN);
    await rentalInStatus(fx.stack, rental.id, ['overdue']);
    await eventually(async () => (await notesOf(renter.id)).some((n) => n.type === 'fines_dues'));

    await fx.env.sleep(40 * MIN);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    // Due at +60 min, returned at about +101 min: 41 minutes late = 3 started 15-minute periods × NPR 5.
    expect(done).toMatchObject({ fine_minor: '1500', usage_minor: '0', due_minor: '0', payment_status: 'paid' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 10_000 - 2000 - 1500, points: 5 });
    expect(await eventsOf(rental.id)).toEqual(expect.arrayContaining(['ejected', 'time_alert', 'overdue', 'returned']));
    expect((await sql(fx.stack, `select type from journal_entries where idempotency_key = ?`, [`rental-fine:${rental.id}`]))[0].type).toBe('fine');
  });

  it('when a post-payment rental runs late with no money, then usage and fines become a due that blocks new rentals until pay-due clears it', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 0 });
    const me = api(fx.stack, renter.token);
    const rental = (await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'))).body.data;
    expect(rental).toMatchObject({ status: 'active', payment_status: 'pending', charges: { paid: { amount_minor: 0 } } });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 0, points: 0 });

    await fx.env.sleep(80 * MIN);
    await rentalInStatus(fx.stack, rental.id, ['overdue']);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(fx.stack, rental.id, ['completed']);
    // Usage: 80 min at NPR 5 per started 15 min = NPR 30, capped at the package price NPR 20; fine: 20 min late = 2 periods = NPR 10.
    expect(done).toMatchObject({ usage_minor: '2000', fine_minor: '1000', due_minor: '3000', payment_status: 'due' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: -3000, points: 5 });
    await eventually(async () => (await notesOf(renter.id)).some((n) => n.title === 'Payment due'));

    const blocked = await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'));
    expect(blocked.status).toBe(402);
    expect(blocked.body.error).toMatchObject({ code: 'OUTSTANDING_DUES', details: { due_minor: 3000, rental_ids: [rental.id] } });
    // An unpaid due also keeps the account from being erased.
    const erase = await request(fx.stack.baseUrl).delete('/api/auth/account').set('Authorization', `Bearer ${renter.token}`);
    expect(erase.status).toBe(409);
    expect(JSON.stringify(erase.body)).toContain('OPEN_DUE');

    const options = await me.post('/payment/calculate-options', { scenario: 'post_payment', rental_id: rental.id });
    expect(options.body.data).toMatchObject({ amount_minor: 3000, is_sufficient: false, shortfall_minor: 2950 }); // 5 points = NPR 0.50
    const short = await me.post(`/rentals/${rental.id}/pay-due`, { scenario: 'post_payment', payment_mode: 'points_first' });
    expect(short.status).toBe(402);
    expect(short.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { shortfall_minor: 2950 } });

    // A NPR 25 top-up fills the negative wallet to -5; 50 more points (NPR 5) pay the rest.
    await fundWallet(new LedgerService(fx.stack.orm), renter.id, 2500);
    await givePoints(fx.stack, renter.id, 45);
    expect((await me.post('/payment/calculate-options', { scenario: 'post_payment', rental_id: rental.id })).body.data).toMatchObject({
      amount_minor: 500,
      is_sufficient: true,
    });
    const paid = await me.post(`/rentals/${rental.id}/pay-due`, { scenario: 'post_payment', payment_mode: 'points_first' });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ payment_status: 'paid', due_cleared: true, points_used: 50, balances: { wallet_minor: 0, points: 0 } });
    expect((await me.post(`/rentals/${rental.id}/pay-due`, { scenario: 'post_payment' })).body.data.already_paid).toBe(true);

    const again = await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour, 'post_payment'));
    expect(again.status).toBe(201);
    await fx.sim.returnPowerBank(again.body.data.power_bank_sn);
    await rentalInStatus(fx.stack, again.body.data.id, ['completed']);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when the power bank is not back by the time the fine reaches its cap, then it counts as lost and its price is charged on top of the capped fine', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 50_000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    await fx.env.sleep(60 * MIN + 600 * MIN + MIN); // due + 40 periods of 15 minutes (NPR 200 cap)
    const lost = await rentalInStatus(fx.stack, rental.id, ['lost']);
    // Fine cap NPR 200 + power bank NPR 2000: NPR 480 from the wallet (after the NPR 20 package), NPR 1720 due.
    expect(lost).toMatchObject({ fine_minor: '20000', lost_minor: '200000', due_minor: '172000', payment_status: 'due' });
    expect((await sql(fx.stack, 'select status from power_banks where sn = ?', [rental.power_bank_sn]))[0].status).toBe('lost');
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: -172_000, points: 0 });
    // Found and put back later: the inventory has it again and admins see a return without a rental.
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    await eventually(
      async () =>
        (await sql(fx.stack, 'select outcome from power_bank_returns where power_bank_sn = ? order by id desc', [rental.power_bank_sn]))[0]?.outcome ===
        'unmatched',
    );
    expect((await sql(fx.stack, 'select status from power_banks where sn = ?', [rental.power_bank_sn]))[0].status).toBe('available');
  });

  it('when a cancel is asked after the window, then 409 CANCEL_WINDOW_PASSED; a cancel not followed by a return lapses and the rental goes on', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 10_000 });
    const me = api(fx.stack, renter.token);
    const late = (await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    await fx.env.sleep(6 * MIN);
    const refused = await me.post(`/rentals/${late.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CANCEL_WINDOW_PASSED');
    await fx.sim.returnPowerBank(late.power_bank_sn);
    await rentalInStatus(fx.stack, late.id, ['completed']);

    const lapsing = (await me.post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    expect((await me.post(`/rentals/${lapsing.id}/cancel`)).body.data.rental.status).toBe('cancelling');
    await fx.env.sleep(11 * MIN);
    await rentalInStatus(fx.stack, lapsing.id, ['active']);
    await fx.sim.returnPowerBank(lapsing.power_bank_sn);
    const done = await rentalInStatus(fx.stack, lapsing.id, ['completed']);
    expect(done.paid_minor).toBe('2000');
    expect(await eventsOf(lapsing.id)).toEqual(expect.arrayContaining(['cancel_requested', 'cancel_lapsed', 'returned']));
  });
});
