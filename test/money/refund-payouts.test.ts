import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { eventually } from '../support/stack';
import { bearer, createUser, ledgerInvariants, usePaymentStack } from './support';

/**
 * Refunds of top-ups: Stripe gives the money back through its refund API; eSewa has none, so the
 * refund waits for finance to pay it out by hand and record the reference.
 */
describe('refunds of gateway top-ups and manual payouts', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const adminId = randomUUID();
  const admin = () => bearer(fx.stack, adminId, 'admin');

  async function paidTopup(userId: string, gateway: 'esewa' | 'stripe') {
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway }).expect(200)).body.data;
    if (gateway === 'esewa') {
      await fx.boxes.esewa.submitForm(intent.gateway_data.formFields as Record<string, string>);
      await fx.boxes.esewa.pay(intent.gateway_ref, { follow: true });
    } else {
      await fx.boxes.stripe.pay(intent.gateway_ref);
    }
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
    return intent.intent_id as string;
  }

  async function approvedRefund(userId: string, intentId: string) {
    const refundId = (
      await fx
        .api()
        .post(`/api/payment/refund/${intentId}`)
        .set(await bearer(fx.stack, userId))
        .send({ reason: 'topped up by mistake' })
        .expect(201)
    ).body.data.id;
    const approved = await fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await admin());
    expect(approved.status).toBe(200);
    return approved.body.data;
  }

  it('when an eSewa top-up is refunded, then the wallet gives it back, finance sees a pending payout, records it once and the customer is told', async () => {
    const userId = await createUser(fx.stack.orm);
    const intentId = await paidTopup(userId, 'esewa');
    const refund = await approvedRefund(userId, intentId);
    expect(refund).toMatchObject({
      status: 'completed',
      gateway: 'esewa',
      gateway_refund_id: null,
      payout: { method: 'manual', status: 'pending', reference: null },
    });
    expect((await fx.money.ledger.balances(userId, 'NPR')).walletMinor).toBe(0);
    const approvedNote = await eventually(
      async () =>
        (
          await fx.stack.orm.em
            .getConnection()
            .execute(`select body from notifications where user_id = ? and type = 'refund_status' and data->>'status' = 'completed'`, [userId])
        )[0],
    );
    expect(approvedNote.body).toBe('Your refund of NPR 250.00 was approved; it will be paid back to your eSewa account and you will be told when it is.');

    const pending = await fx
      .api()
      .get('/api/admin/refunds/payouts?page_size=100')
      .set(await admin());
    expect(pending.body.data.results.map((r: { id: string }) => r.id)).toContain(refund.id);
    expect(
      (
        await fx
          .api()
          .get('/api/admin/refunds/payouts')
          .set(await bearer(fx.stack, userId))
      ).status,
    ).toBe(403);
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${refund.id}/payout`)
          .set(await admin())
          .send({})
      ).status,
    ).toBe(400);

    const paid = await fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/payout`)
      .set(await admin())
      .send({ reference: 'ESEWA-TXN-000123', note: 'paid from the merchant wallet' });
    expect(paid.status).toBe(200);
    expect(paid.body.data.payout).toMatchObject({ status: 'paid', reference: 'ESEWA-TXN-000123', paid_by: adminId, paid_at: expect.any(String) });
    const again = await fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/payout`)
      .set(await admin())
      .send({ reference: 'ESEWA-TXN-000999' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PAYOUT_ALREADY_RECORDED', details: { reference: 'ESEWA-TXN-000123' } });

    expect(
      (
        await fx
          .api()
          .get('/api/admin/refunds/payouts?page_size=100')
          .set(await admin())
      ).body.data.results.map((r: { id: string }) => r.id),
    ).not.toContain(refund.id);
    expect(
      (
        await fx
          .api()
          .get('/api/admin/refunds/payouts?status=paid&page_size=100')
          .set(await admin())
      ).body.data.results.map((r: { id: string }) => r.id),
    ).toContain(refund.id);
    const mine = await fx
      .api()
      .get('/api/payment/refunds')
      .set(await bearer(fx.stack, userId));
    expect(mine.body.data.results[0]).toMatchObject({ id: refund.id, payout: { status: 'paid', reference: 'ESEWA-TXN-000123' } });
    const paidNote = await eventually(
      async () =>
        (
          await fx.stack.orm.em
            .getConnection()
            .execute(`select body from notifications where user_id = ? and type = 'refund_status' and data->>'status' = 'paid_out'`, [userId])
        )[0],
    );
    expect(paidNote.body).toBe('Your refund of NPR 250.00 was paid back to your eSewa account (reference ESEWA-TXN-000123).');
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when a Stripe top-up is refunded, then Stripe refunds it and no manual payout is asked for', async () => {
    const userId = await createUser(fx.stack.orm);
    const intentId = await paidTopup(userId, 'stripe');
    const refund = await approvedRefund(userId, intentId);
    expect(refund).toMatchObject({ status: 'completed', gateway: 'stripe', gateway_refund_id: expect.stringMatching(/^re_/), payout: null });
    const res = await fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/payout`)
      .set(await admin())
      .send({ reference: 'NOT-NEEDED' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_PAYOUT_DUE');
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${randomUUID()}/payout`)
          .set(await admin())
          .send({ reference: 'NOPE-1' })
      ).status,
    ).toBe(404);
  });
});
