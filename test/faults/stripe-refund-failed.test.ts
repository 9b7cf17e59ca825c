import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { bearer, createUser, usePaymentStack } from '../money/support';
import { eventually } from '../support/stack';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * An admin approves the refund of a Stripe top-up; Stripe takes the refund as `pending`, then the
 * card network fails it (`refund.failed`). The money that left the wallet comes back, the refund
 * ends `failed` with the reason, and the ledger's checks stay zero.
 */
describe('faults: a Stripe refund failing after approval', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false, sandboxes: { stripe: { refundStatus: 'pending' } } }, ({ stack }) => ({
    money: createLedgerServices(stack.orm),
  }));

  it('when Stripe fails the refund after approval, then the wallet is whole, the refund failed with its reason and nothing is stranded', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '300.00', gateway: 'stripe' })).body.data;
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
    const refund = (await fx.api().post(`/api/payment/refund/${intent.intent_id}`).set(auth).send({ reason: 'wrong amount' })).body.data;
    const decided = fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/approve`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'))
      .then((r) => r);
    const reId = await eventually(async () => {
      const [row] = await fx.stack.orm.em.getConnection().execute(`select gateway_refund_id from refund_requests where id = ?`, [refund.id]);
      return row?.gateway_refund_id as string | null;
    });
    await fx.boxes.stripe.settleRefund(reId, 'failed');
    expect((await decided).body.data).toMatchObject({ status: 'failed', failure_reason: expect.any(String) });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 30_000, points: 30 });
    expect(await strandedState(fx.stack, [userId])).toEqual(NOTHING_STRANDED);
  });
});
