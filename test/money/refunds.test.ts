import { randomUUID } from 'node:crypto';
import { userWallet } from '../../src/modules/ledger/rules/accounts';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { useTestStack } from '../support/fixtures';
import { eventually } from '../support/stack';
import { bearer, createUser, fundWallet, ledgerInvariants } from './support';

describe('refund requests decided by an admin (refund workflow)', () => {
  const adminId = randomUUID();
  const fx = useTestStack({ bridge: false }, ({ stack }) => ({ money: createLedgerServices(stack.orm) }));

  /** The user's in-app inbox rows (notifications context) of one type. */
  const inbox = (userId: string, type: string) =>
    fx.stack.orm.em.getConnection().execute(`select title, body, data from notifications where user_id = ? and type = ?`, [userId, type]) as Promise<
      { title: string; body: string; data: { status: string } }[]
    >;

  async function chargedUser() {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 10_000);
    const charge = await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 4_000, mode: 'wallet_only' });
    return { userId, chargeId: charge.id };
  }

  it('when an admin approves a refund, then the charge is reversed once and the user is told', async () => {
    const { userId, chargeId } = await chargedUser();
    const asked = await fx
      .api()
      .post(`/api/payment/refund/${chargeId}`)
      .set(await bearer(fx.stack, userId))
      .send({ reason: 'power bank was dead' });
    expect(asked.status).toBe(201);
    expect(asked.body.data).toMatchObject({ status: 'pending', amount: '40.00', transaction_id: chargeId });
    const refundId = asked.body.data.id;
    expect(
      (
        await fx
          .api()
          .post(`/api/payment/refund/${chargeId}`)
          .set(await bearer(fx.stack, userId))
          .send({})
      ).status,
    ).toBe(409);

    const pending = await fx
      .api()
      .get('/api/admin/refunds/pending?page_size=100')
      .set(await bearer(fx.stack, adminId, 'admin'));
    expect(pending.body.data.results.map((r: { id: string }) => r.id)).toContain(refundId);
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${refundId}/approve`)
          .set(await bearer(fx.stack, userId))
      ).status,
    ).toBe(403);

    const approved = await fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await bearer(fx.stack, adminId, 'admin'));
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: 'completed', decided_by: adminId });
    expect(await fx.money.ledger.balance(userWallet(userId, 'NPR'))).toBe(10_000);
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${refundId}/approve`)
          .set(await bearer(fx.stack, adminId, 'admin'))
      ).status,
    ).toBe(409);

    const tx = await fx
      .api()
      .get('/api/user/transactions?type=rental_charge')
      .set(await bearer(fx.stack, userId));
    expect(tx.body.data.results).toEqual([expect.objectContaining({ id: chargeId, status: 'refunded' })]);
    const mine = await fx
      .api()
      .get('/api/payment/refunds')
      .set(await bearer(fx.stack, userId));
    expect(mine.body.data.results).toEqual([expect.objectContaining({ id: refundId, status: 'completed' })]);
    await eventually(async () => (await inbox(userId, 'refund_status')).some((n) => n.data.status === 'completed'));
    const inApp = await fx
      .api()
      .get('/api/user/notifications')
      .set(await bearer(fx.stack, userId));
    expect(JSON.stringify(inApp.body.data)).toContain('Refund completed');
    expect(
      (
        await fx
          .api()
          .post(`/api/payment/refund/${chargeId}`)
          .set(await bearer(fx.stack, userId))
          .send({})
      ).status,
    ).toBe(409);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when an admin rejects a refund, then nothing moves and the reason is kept', async () => {
    const { userId, chargeId } = await chargedUser();
    const refundId = (
      await fx
        .api()
        .post(`/api/payment/refund/${chargeId}`)
        .set(await bearer(fx.stack, userId))
        .send({})
    ).body.data.id;
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${refundId}/reject`)
          .set(await bearer(fx.stack, adminId, 'admin'))
          .send({})
      ).status,
    ).toBe(400);
    const rejected = await fx
      .api()
      .post(`/api/admin/refunds/${refundId}/reject`)
      .set(await bearer(fx.stack, adminId, 'admin'))
      .send({ reason: 'the rental was used in full' });
    expect(rejected.body.data).toMatchObject({ status: 'rejected', decision_reason: 'the rental was used in full' });
    expect(await fx.money.ledger.balance(userWallet(userId, 'NPR'))).toBe(6_000);
    const [{ n }] = await fx.stack.orm.em.getConnection().execute(`select count(*) n from journal_entries where reverses_entry_id = ?`, [chargeId]);
    expect(Number(n)).toBe(0);
    // Admins find it among all refunds by user and status; the filters are validated.
    const all = await fx
      .api()
      .get(`/api/admin/refunds?user_id=${userId}&status=rejected`)
      .set(await bearer(fx.stack, adminId, 'admin'));
    expect(all.body.data.results.map((r: { id: string }) => r.id)).toEqual([refundId]);
    expect(
      (
        await fx
          .api()
          .get(`/api/admin/refunds?user_id=${userId}&status=completed`)
          .set(await bearer(fx.stack, adminId, 'admin'))
      ).body.data.results,
    ).toEqual([]);
    expect(
      (
        await fx
          .api()
          .get('/api/admin/refunds?status=bogus')
          .set(await bearer(fx.stack, adminId, 'admin'))
      ).status,
    ).toBe(400);
    await eventually(async () => (await inbox(userId, 'refund_status')).some((n) => n.data.status === 'rejected'));
  });

  it('when an operator filters the Temporal UI, then a refund is found by Surface, UserId and BusinessStatus, awaiting a decision and then completed', async () => {
    const { userId, chargeId } = await chargedUser();
    const refundId = (
      await fx
        .api()
        .post(`/api/payment/refund/${chargeId}`)
        .set(await bearer(fx.stack, userId))
        .send({})
    ).body.data.id;
    const found = async (status: string) => {
      const ids: string[] = [];
      for await (const wf of fx.stack.temporal.workflow.list({
        query: `WorkflowType = 'refundWorkflow' AND Surface = 'chargeghar' AND UserId = '${userId}' AND BusinessStatus = '${status}'`,
      }))
        ids.push(wf.workflowId);
      return ids;
    };
    expect(await eventually(async () => ((await found('awaiting_decision')).length ? found('awaiting_decision') : undefined))).toEqual([`refund:${refundId}`]);
    await fx
      .api()
      .post(`/api/admin/refunds/${refundId}/approve`)
      .set(await bearer(fx.stack, adminId, 'admin'))
      .expect(200);
    expect(await eventually(async () => ((await found('completed')).length ? found('completed') : undefined))).toEqual([`refund:${refundId}`]);
    expect(await found('awaiting_decision')).toEqual([]);
  });

  it('when the user asks five times at once, then one refund request exists and the others get 409', async () => {
    const { userId, chargeId } = await chargedUser();
    const auth = await bearer(fx.stack, userId);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => fx.api().post(`/api/payment/refund/${chargeId}`).set(auth).send({ reason: 'tap tap tap' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const [{ n }] = await fx.stack.orm.em.getConnection().execute(`select count(*)::int n from refund_requests where transaction_id = ?`, [chargeId]);
    expect(n).toBe(1);
  });

  it('when admins approve and reject the same refund at the same moment, then exactly one decision wins and the ledger moves at most once', async () => {
    const { userId, chargeId } = await chargedUser();
    const refundId = (
      await fx
        .api()
        .post(`/api/payment/refund/${chargeId}`)
        .set(await bearer(fx.stack, userId))
        .send({})
    ).body.data.id;
    const admin = await bearer(fx.stack, adminId, 'admin');
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => fx.api().post(`/api/admin/refunds/${refundId}/approve`).set(admin)),
      ...Array.from({ length: 2 }, () => fx.api().post(`/api/admin/refunds/${refundId}/reject`).set(admin).send({ reason: 'double click' })),
    ]);
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
    const [{ n }] = await fx.stack.orm.em.getConnection().execute(`select count(*)::int n from journal_entries where reverses_entry_id = ?`, [chargeId]);
    const approved = won[0].body.data.status === 'completed';
    expect(n).toBe(approved ? 1 : 0);
    expect(await fx.money.ledger.balance(userWallet(userId, 'NPR'))).toBe(approved ? 10_000 : 6_000);
    expect(await ledgerInvariants(fx.stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it("when a refund targets someone else's or an unknown transaction, then 404", async () => {
    const { chargeId } = await chargedUser();
    const other = await createUser(fx.stack.orm);
    expect(
      (
        await fx
          .api()
          .post(`/api/payment/refund/${chargeId}`)
          .set(await bearer(fx.stack, other))
          .send({})
      ).status,
    ).toBe(404);
    expect(
      (
        await fx
          .api()
          .post(`/api/payment/refund/${randomUUID()}`)
          .set(await bearer(fx.stack, other))
          .send({})
      ).status,
    ).toBe(404);
    expect(
      (
        await fx
          .api()
          .post(`/api/admin/refunds/${randomUUID()}/approve`)
          .set(await bearer(fx.stack, adminId, 'admin'))
      ).status,
    ).toBe(404);
  });
});
