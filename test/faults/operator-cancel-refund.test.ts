import { randomUUID } from 'node:crypto';
import { refundWorkflowId } from '../../src/modules/payments/workflows/definitions';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { eventually } from '../support/stack';
import { bearer, createUser, notificationsOf, usePaymentStack } from '../money/support';
import { keepHistory } from '../support/record-history';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * Item 1 of issue 9, for refunds: an operator cancels a refund's run from the Temporal UI. Before a
 * decision it is a rejection (nothing moved, the customer told); after one, the decision is carried
 * out to its end, so money that moved is never left half-way.
 */
describe('faults: an operator cancels a refund in the Temporal UI', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false, sandboxes: { stripe: { refundStatus: 'pending' } } }, ({ stack }) => ({
    money: createLedgerServices(stack.orm),
  }));
  const refundRow = async (id: string) => (await fx.stack.orm.em.getConnection().execute(`select * from refund_requests where id = ?`, [id]))[0];

  async function refundOfPaidTopup() {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'stripe' })).body.data;
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
    const asked = await fx.api().post(`/api/payment/refund/${intent.intent_id}`).set(auth).send({});
    expect(asked.status).toBe(201);
    return { userId, refundId: asked.body.data.id as string };
  }

  it('when the run is cancelled before any decision, then the refund is rejected, nothing moves and the customer is told', async () => {
    const { userId, refundId } = await refundOfPaidTopup();
    const before = await fx.money.ledger.balances(userId, 'NPR');
    await fx.stack.temporal.workflow.getHandle(refundWorkflowId(refundId)).cancel();
    await eventually(async () => (await refundRow(refundId)).status === 'rejected');
    expect(await refundRow(refundId)).toMatchObject({ status: 'rejected', decision_reason: 'cancelled by an operator', decided_by: 'system' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual(before);
    await eventually(async () => (await notificationsOf(fx.stack, userId)).some((n) => n.type === 'refund_status' && n.data.status === 'rejected'));
    // A decision afterwards finds nothing to decide.
    const late = await fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'));
    expect(late.status).toBe(409);
    expect(await strandedState(fx.stack, [userId])).toEqual(NOTHING_STRANDED);
    const handle = fx.stack.temporal.workflow.getHandle(refundWorkflowId(refundId));
    await keepHistory(
      fx.stack,
      handle,
      'refund-cancelled-before-decision',
      'NPR 250 Stripe top-up refund cancelled by an operator before any decision: rejected, customer told',
    );
  });

  it('when the run is cancelled while Stripe holds an approved refund pending, then the refund still completes when Stripe settles it', async () => {
    const { userId, refundId } = await refundOfPaidTopup();
    const decided = fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'))
      .then((r) => r);
    const row = await eventually(async () => ((await refundRow(refundId)).gateway_refund_status === 'pending' ? refundRow(refundId) : undefined));
    const handle = fx.stack.temporal.workflow.getHandle(refundWorkflowId(refundId));
    await handle.cancel();
    await fx.boxes.stripe.settleRefund(String(row.gateway_refund_id), 'succeeded');
    const answer = await decided;
    expect(answer.status).toBe(200);
    await eventually(async () => (await refundRow(refundId)).status === 'completed', 15_000);
    expect(await refundRow(refundId)).toMatchObject({ status: 'completed', gateway_refund_status: 'succeeded' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect((await handle.describe()).status.name).toBe('CANCELLED'); // the operator's cancel is on record; the refund ended first
    expect(await strandedState(fx.stack, [userId])).toEqual(NOTHING_STRANDED);
    await keepHistory(
      fx.stack,
      handle,
      'refund-cancelled-while-gateway-pending',
      'NPR 250 Stripe top-up refund approved, Stripe refund pending, run cancelled by an operator, Stripe settled it (webhook): completed, then the run ended cancelled',
    );
  });
});
