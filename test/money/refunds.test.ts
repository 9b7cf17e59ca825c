import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { userWallet } from '../../src/domain/ledger/accounts';
import { createLedgerServices, type LedgerServices } from '../../src/services/ledger';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { bearer, createUser, fundWallet, ledgerInvariants } from './support';

describe('refund requests decided by an admin (refund workflow)', () => {
  let stack: TestStack;
  let money: LedgerServices;
  const adminId = randomUUID();
  const api = () => request(stack.baseUrl);

  beforeAll(async () => {
    stack = await startTestStack({ bridge: false });
    money = createLedgerServices(stack.orm);
  });
  afterAll(async () => { await stack.close(); });

  /** The user's in-app inbox rows (notifications context) of one type. */
  const inbox = (userId: string, type: string) => stack.orm.em.getConnection().execute(`select title, body, data from notifications where user_id = ? and type = ?`, [userId, type]) as Promise<{ title: string; body: string; data: { status: string } }[]>;

  async function chargedUser() {
    const userId = await createUser(stack.orm);
    await fundWallet(money.ledger, userId, 10_000);
    const charge = await money.charges.charge({ key: `rental-charge:${randomUUID()}`, userId, amountMinor: 4_000, mode: 'wallet_only' });
    return { userId, chargeId: charge.id };
  }

  it('when an admin approves a refund, then the charge is reversed once and the user is told', async () => {
    const { userId, chargeId } = await chargedUser();
    const asked = await api().post(`/api/payment/refund/${chargeId}`).set(await bearer(stack, userId)).send({ reason: 'power bank was dead' });
    expect(asked.status).toBe(201);
    expect(asked.body.data).toMatchObject({ status: 'pending', amount: '40.00', transaction_id: chargeId });
    const refundId = asked.body.data.id;
    expect((await api().post(`/api/payment/refund/${chargeId}`).set(await bearer(stack, userId)).send({})).status).toBe(409);

    const pending = await api().get('/api/admin/refunds/pending?page_size=100').set(await bearer(stack, adminId, 'admin'));
    expect(pending.body.data.results.map((r: { id: string }) => r.id)).toContain(refundId);
    expect((await api().post(`/api/admin/refunds/${refundId}/approve`).set(await bearer(stack, userId))).status).toBe(403);

    const approved = await api().post(`/api/admin/refunds/${refundId}/approve`).set(await bearer(stack, adminId, 'admin'));
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: 'completed', decided_by: adminId });
    expect(await money.ledger.balance(userWallet(userId))).toBe(10_000);
    expect((await api().post(`/api/admin/refunds/${refundId}/approve`).set(await bearer(stack, adminId, 'admin'))).status).toBe(409);

    const tx = await api().get('/api/user/transactions?type=rental_charge').set(await bearer(stack, userId));
    expect(tx.body.data.results).toEqual([expect.objectContaining({ id: chargeId, status: 'refunded' })]);
    const mine = await api().get('/api/payment/refunds').set(await bearer(stack, userId));
    expect(mine.body.data.results).toEqual([expect.objectContaining({ id: refundId, status: 'completed' })]);
    await eventually(async () => (await inbox(userId, 'refund_status')).some((n) => n.data.status === 'completed'));
    const inApp = await api().get('/api/user/notifications').set(await bearer(stack, userId));
    expect(JSON.stringify(inApp.body.data)).toContain('Refund completed');
    expect((await api().post(`/api/payment/refund/${chargeId}`).set(await bearer(stack, userId)).send({})).status).toBe(409);
    expect(await ledgerInvariants(stack.orm)).toEqual({ unbalancedEntries: 0, nonZeroTotals: 0, drift: 0 });
  });

  it('when an admin rejects a refund, then nothing moves and the reason is kept', async () => {
    const { userId, chargeId } = await chargedUser();
    const refundId = (await api().post(`/api/payment/refund/${chargeId}`).set(await bearer(stack, userId)).send({})).body.data.id;
    expect((await api().post(`/api/admin/refunds/${refundId}/reject`).set(await bearer(stack, adminId, 'admin')).send({})).status).toBe(400);
    const rejected = await api().post(`/api/admin/refunds/${refundId}/reject`).set(await bearer(stack, adminId, 'admin')).send({ reason: 'the rental was used in full' });
    expect(rejected.body.data).toMatchObject({ status: 'rejected', decision_reason: 'the rental was used in full' });
    expect(await money.ledger.balance(userWallet(userId))).toBe(6_000);
    const [{ n }] = await stack.orm.em.getConnection().execute(`select count(*) n from journal_entries where reverses_entry_id = ?`, [chargeId]);
    expect(Number(n)).toBe(0);
    await eventually(async () => (await inbox(userId, 'refund_status')).some((n) => n.data.status === 'rejected'));
  });

  it("when a refund targets someone else's or an unknown transaction, then 404", async () => {
    const { chargeId } = await chargedUser();
    const other = await createUser(stack.orm);
    expect((await api().post(`/api/payment/refund/${chargeId}`).set(await bearer(stack, other)).send({})).status).toBe(404);
    expect((await api().post(`/api/payment/refund/${randomUUID()}`).set(await bearer(stack, other)).send({})).status).toBe(404);
    expect((await api().post(`/api/admin/refunds/${randomUUID()}/approve`).set(await bearer(stack, adminId, 'admin'))).status).toBe(404);
  });
});
