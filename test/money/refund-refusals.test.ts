import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { RefundService } from '../../src/modules/payments/services/refund.service';
import { eventually } from '../support/stack';
import { bearer, createUser, ledgerInvariants, usePaymentStack } from './support';

/**
 * Refunds of gateway top-ups that cannot go through, end to end: the gateway refuses (Khalti's
 * 4xx, Stripe's `charge_already_refunded`), the money was spent, the run could not be started;
 * and the ones that do (a Khalti refund, an eSewa manual payout that leaves the books).
 */
describe('refunds of gateway top-ups that are refused, and ones that go through', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));
  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);
  const admin = () => bearer(fx.stack, randomUUID(), 'admin');

  /** A paid NPR 250 top-up (20 points) of a new user, through the API and the gateway's sandbox. */
  async function paidTopup(gateway: 'khalti' | 'stripe' | 'esewa') {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway })).body.data;
    if (gateway === 'khalti') await fx.boxes.khalti.pay(intent.gateway_ref);
    if (gateway === 'stripe') await fx.boxes.stripe.pay(intent.gateway_ref);
    if (gateway === 'esewa') {
      await fx.boxes.esewa.submitForm(intent.gateway_data.formFields);
      await fx.boxes.esewa.pay(intent.gateway_ref);
    }
    await fx.api().post('/api/payment/verify-topup').set(auth).send({ intent_id: intent.intent_id });
    await eventually(async () => (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data.status === 'success', 15_000);
    return { userId, auth, intent };
  }
  const requestRefund = async (t: Awaited<ReturnType<typeof paidTopup>>) =>
    fx.api().post(`/api/payment/refund/${t.intent.intent_id}`).set(t.auth).send({ reason: 'did not mean to' });
  const approve = async (refundId: string) =>
    fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await admin());
  const inbox = async (userId: string) =>
    (await q(`select data from notifications where user_id = ? and type = 'refund_status'`, [userId])).map((n) => n.data.status);

  it('when an admin approves the refund of a Khalti top-up, then Khalti refunds it and wallet and points go back', async () => {
    const t = await paidTopup('khalti');
    const refund = (await requestRefund(t)).body.data;
    expect(refund).toMatchObject({ status: 'pending', gateway: 'khalti' });
    expect((await approve(refund.id)).body.data).toMatchObject({ status: 'completed', gateway_refund_id: expect.stringContaining('khalti-refund:') });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    expect(fx.boxes.khalti.state.get(t.intent.gateway_ref)!.status).toBe('Refunded');
  });

  it('when Khalti refuses the refund, then everything it did is undone, the customer is told, and the top-up can be refunded again', async () => {
    const t = await paidTopup('khalti');
    const first = (await requestRefund(t)).body.data;
    fx.boxes.khalti.setFaults([{ match: 'POST /api/merchant-transaction/', status: 400 }]);
    try {
      expect((await approve(first.id)).body.data).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('HTTP 400') });
    } finally {
      fx.boxes.khalti.setFaults([]);
    }
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    await eventually(async () => (await inbox(t.userId)).includes('failed'));
    const again = await requestRefund(t);
    expect(again.status).toBe(201);
    expect((await approve(again.body.data.id)).body.data).toMatchObject({ status: 'completed' });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
    const reversals = await q(`select idempotency_key, reversal_seq from journal_entries where idempotency_key in (?, ?) order by reversal_seq`, [
      `refund:${first.id}`,
      `refund:${again.body.data.id}`,
    ]);
    expect(reversals).toEqual([
      { idempotency_key: `refund:${first.id}`, reversal_seq: 0 },
      { idempotency_key: `refund:${again.body.data.id}`, reversal_seq: 1 },
    ]);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when Stripe answers charge_already_refunded, then the refund ends failed at once (no retry loop) and the wallet is whole again', async () => {
    const t = await paidTopup('stripe');
    await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: false }); // the refund made at Stripe below never reaches us
    let decided;
    try {
      fx.boxes.stripe.store.refund({ payment_intent: t.intent.gateway_ref }, 'succeeded');
      const refund = (await requestRefund(t)).body.data;
      decided = await approve(refund.id);
    } finally {
      await fx.boxes.stripe.setWebhookEndpoint({ autoDeliver: true });
    }
    expect(decided.body.data).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('already been refunded') });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
  });

  it('when the refunded top-up was already spent, then the refund ends failed, nothing is refunded at Khalti and the wallet never goes below zero', async () => {
    const t = await paidTopup('khalti');
    await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId: t.userId, amountMinor: 20_000, mode: 'wallet_only' });
    const refund = (await requestRefund(t)).body.data;
    expect((await approve(refund.id)).body.data).toMatchObject({ status: 'failed', failure_reason: 'the wallet no longer holds the refunded amount' });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 5_000, points: 20 });
    expect(fx.boxes.khalti.state.get(t.intent.gateway_ref)!.refundedAmount).toBe(0);
    const [{ min }] = await q(
      `select min(p.balance_after_minor)::int min from journal_postings p join ledger_accounts a on a.id = p.account_id where a.owner_id = ? and a.kind = 'wallet'`,
      [t.userId],
    );
    expect(min).toBeGreaterThanOrEqual(0);
  });

  it("when a refund's workflow could not be started, then the customer's retry starts it (no request stuck pending) and it can be decided", async () => {
    const t = await paidTopup('khalti');
    const connection = await Connection.connect({ address: fx.stack.config.TEMPORAL_ADDRESS });
    await connection.close(); // Temporal unreachable for this request
    const down = new RefundService({ orm: fx.stack.orm, temporal: new Client({ connection }), config: fx.stack.config });
    await expect(down.request(t.userId, t.intent.intent_id, 'first try')).rejects.toThrow();
    const [stranded] = await q(`select id, status from refund_requests where user_id = ?`, [t.userId]);
    expect(stranded.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 5_500)); // older than a concurrent request's start
    const retried = await requestRefund(t);
    expect(retried.status).toBe(201);
    expect(retried.body.data.id).toBe(stranded.id);
    expect((await approve(stranded.id)).body.data).toMatchObject({ status: 'completed' });
  });

  it('when an admin approves a refund whose workflow never started, then the decision starts it (update-with-start)', async () => {
    const t = await paidTopup('khalti');
    const connection = await Connection.connect({ address: fx.stack.config.TEMPORAL_ADDRESS });
    await connection.close();
    const down = new RefundService({ orm: fx.stack.orm, temporal: new Client({ connection }), config: fx.stack.config });
    await expect(down.request(t.userId, t.intent.intent_id)).rejects.toThrow();
    const [stranded] = await q(`select id from refund_requests where user_id = ?`, [t.userId]);
    expect((await approve(stranded.id)).body.data).toMatchObject({ status: 'completed' });
    expect(await fx.money.ledger.balances(t.userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });
  });

  it('when finance records the payout of an eSewa refund, then the money leaves the gateway clearing account and this refund nets it to zero', async () => {
    const t = await paidTopup('esewa');
    const refund = (await requestRefund(t)).body.data;
    expect((await approve(refund.id)).body.data).toMatchObject({ status: 'completed', payout: { status: 'pending' } });
    const clearing = async () =>
      (
        await q(
          `select coalesce(sum(p.amount_minor), 0)::int s from journal_postings p join journal_entries e on e.id = p.entry_id
           join ledger_accounts a on a.id = p.account_id where a.kind = 'gateway_clearing' and e.idempotency_key in (?, ?, ?, ?)`,
          [`topup:${t.intent.intent_id}`, `refund:${refund.id}`, `payout-due:${refund.id}`, `payout:${refund.id}`],
        )
      )[0].s;
    expect(await clearing()).toBe(-25_000); // still at eSewa, owed to the customer
    const paid = await fx
      .api()
      .post(`/api/admin/refunds/${refund.id}/payout`)
      .set(await admin())
      .send({ reference: 'ESEWA-TXN-42' });
    expect(paid.status).toBe(200);
    expect(await clearing()).toBe(0);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });
});
