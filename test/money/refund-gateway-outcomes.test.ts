import { randomUUID } from 'node:crypto';
import type { StripeGateway } from '../../src/modules/payments/gateways/registry';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { paymentReviews } from '../../src/modules/payments';
import { eventually } from '../support/stack';
import { bearer, createUser, ledgerInvariants, usePaymentStack } from './support';

/**
 * What Stripe says after a refund was asked for, and what is done in its dashboard: card refunds
 * are `pending` here until the test settles them (as the card network does), and every event
 * reaches the app as a signed webhook.
 */
describe('Stripe refund outcomes, dashboard refunds and disputes', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false, sandboxes: { stripe: { refundStatus: 'pending' } } }, ({ stack }) => ({
    money: createLedgerServices(stack.orm),
  }));
  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);
  const refundRow = async (id: string) => (await q(`select * from refund_requests where id = ?`, [id]))[0];

  async function paidStripeTopup() {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'stripe' })).body.data;
    await fx.boxes.stripe.pay(intent.gateway_ref);
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
    return { userId, auth, intent };
  }
  /** Asks for the refund, approves it, and waits until Stripe holds it pending. */
  async function approvedPending(t: Awaited<ReturnType<typeof paidStripeTopup>>) {
    const refund = (await fx.api().post(`/api/payment/refund/${t.intent.intent_id}`).set(t.auth).send({})).body.data;
    const decided = fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/approve`)
      .set(await bearer(fx.stack, randomUUID(), 'admin'))
      .then((r) => r);
    const row = await eventually(async () => ((await refundRow(refund.id)).gateway_refund_status === 'pending' ? refundRow(refund.id) : null));
    expect(row.status).toBe('approved'); // not completed while Stripe says pending
    return { refund, decided, gatewayRefundId: String(row.gateway_refund_id) };
  }

  it('when Stripe fails a pending refund after approval, then the refund ends failed, the wallet and points are back and the customer is told', async () => {
    const t = await paidStripeTopup();
    const { refund, decided, gatewayRefundId } = await approvedPending(t);
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    await fx.boxes.stripe.settleRefund(gatewayRefundId, 'failed');
    expect((await decided).body.data).toMatchObject({ status: 'failed', failure_reason: 'stripe reported the refund failed' });
    expect(await refundRow(refund.id)).toMatchObject({ status: 'failed', gateway_refund_status: 'failed' });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    await eventually(async () =>
      (await q(`select data from notifications where user_id = ? and type = 'refund_status'`, [t.userId])).some((n) => n.data.status === 'failed'),
    );
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when Stripe settles a refund and fails it later, then the completed refund is compensated once, listed for admins, and the customer told', async () => {
    const t = await paidStripeTopup();
    const { refund, decided, gatewayRefundId } = await approvedPending(t);
    await fx.boxes.stripe.settleRefund(gatewayRefundId, 'succeeded');
    expect((await decided).body.data).toMatchObject({ status: 'completed' });
    expect(await refundRow(refund.id)).toMatchObject({ gateway_refund_status: 'succeeded' });
    await fx.boxes.stripe.settleRefund(gatewayRefundId, 'failed');
    await eventually(async () => (await refundRow(refund.id)).status === 'failed', 15_000);
    await fx.stack.temporal.workflow.getHandle(`refund-compensation:${refund.id}`).result();
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    const [failedEvent] = fx.boxes.stripe.events({ type: 'refund.failed', objectId: gatewayRefundId });
    await fx.boxes.stripe.deliverEvents([failedEvent.id], { times: 3 }); // the same webhook again: nothing more moves
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    expect(await paymentReviews(fx.stack.orm)).toContainEqual(expect.objectContaining({ kind: 'gateway_refund_failed', refund_id: refund.id }));
    const notes = await q(`select data from notifications where user_id = ? and type = 'refund_status'`, [t.userId]);
    expect(notes.map((n) => n.data.status)).toEqual(expect.arrayContaining(['completed', 'failed']));
  });

  it('when a top-up is refunded in the Stripe dashboard, then the wallet is debited once and admins see it', async () => {
    const t = await paidStripeTopup();
    const stripe = await (fx.gateways.stripe as StripeGateway).client();
    const re = await stripe.refunds.create({ payment_intent: t.intent.gateway_ref, amount: 10_000 });
    await fx.boxes.stripe.idle();
    await eventually(async () => (await fx.money.ledger.balances(t.userId, 'NPR')).walletMinor === 15_000);
    expect(await paymentReviews(fx.stack.orm)).toContainEqual(expect.objectContaining({ kind: 'dashboard_refund', external_id: re.id, amount_minor: 10_000 }));
  });

  it('when the payer disputes a top-up already spent, then the wallet goes below zero as a due and admins see the dispute', async () => {
    const t = await paidStripeTopup();
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId: t.userId, amountMinor: 20_000, mode: 'wallet_only' });
    await fx.boxes.stripe.dispute(t.intent.gateway_ref);
    await fx.boxes.stripe.idle();
    await eventually(async () => (await fx.money.ledger.balances(t.userId, 'NPR')).walletMinor === -20_000);
    expect(await paymentReviews(fx.stack.orm)).toContainEqual(
      expect.objectContaining({ kind: 'dispute', intent_id: t.intent.intent_id, amount_minor: 25_000 }),
    );
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});
