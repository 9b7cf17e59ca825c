import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer } from '../money/support';
import { eventually } from '../support/stack';
import { api, balances, createRenter, rentalInStatus, sql, startBody, useRentalStack } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * An admin refunds a rental's pre-payment (a refund request of the `rental-charge:<id>` entry);
 * later the rider cancels within the free window and puts the power bank back, which compensates
 * the same charge. The charge counts as refunded once: no second reversal, no failure on the
 * ledger's one-reversal-per-entry rule (before: a raw 23505 that failed the workflow).
 */
describe('faults: a charge already refunded by an admin is compensated again', () => {
  const fx = useRentalStack();
  const adminId = randomUUID();

  it('when the rider cancels after an admin refunded the pre-payment, then the rental is cancelled as refunded and the money went back once', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 3000 });
    const rental = (await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour))).body.data;
    const [charge] = await sql(fx.stack, `select id from journal_entries where idempotency_key = ?`, [`rental-charge:${rental.id}`]);
    const asked = await request(fx.stack.baseUrl)
      .post(`/api/payment/refund/${charge.id}`)
      .set(await bearer(fx.stack, renter.id))
      .send({ reason: 'charged twice in the app' });
    expect(asked.status).toBe(201);
    const approved = await request(fx.stack.baseUrl)
      .post(`/api/admin/refunds/${asked.body.data.id}/approve`)
      .set(await bearer(fx.stack, adminId, 'admin'));
    expect(approved.body.data.status).toBe('completed');
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 0 });

    expect((await api(fx.stack, renter.token).post(`/rentals/${rental.id}/cancel`)).status).toBe(200);
    await fx.sim.returnPowerBank(rental.power_bank_sn);
    const done = await rentalInStatus(fx.stack, rental.id, ['cancelled', 'needs_attention', 'failed']);
    expect(done).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 0 });
    const reversals = await sql(fx.stack, `select idempotency_key from journal_entries where reverses_entry_id = ?`, [charge.id]);
    expect(reversals.map((r) => r.idempotency_key)).toEqual([`refund:${asked.body.data.id}`]);
    await eventually(async () => (await strandedState(fx.stack, [renter.id])).stray.length === 0);
    expect(await strandedState(fx.stack, [renter.id])).toEqual(NOTHING_STRANDED);
  });
});
