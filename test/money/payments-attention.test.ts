import { randomUUID } from 'node:crypto';
import { AppError } from '../../src/kernel/errors';
import { SA_BUSINESS_STATUS } from '../../src/kernel/temporal/search-attributes';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import { paymentsAttention } from '../../src/modules/payments';
import { eventually } from '../support/stack';
import { bearer, createUser, fundWallet, usePaymentStack } from './support';

/**
 * A step that fails for good with an error nobody planned for (here: the database refuses the
 * row's update, as a broken constraint would) parks the run as `needs_attention` instead of
 * failing it; `paymentsAttention(deps)` lists it for admins and sends their retry or resolve.
 */
describe('payments runs parked as needs_attention', () => {
  const fx = usePaymentStack({ env: { PAYMENT_POLL_SECONDS: '600' }, bridge: false }, ({ stack }) => ({
    money: createLedgerServices(stack.orm),
    attention: paymentsAttention({ orm: stack.orm, temporal: stack.temporal }),
  }));
  const q = (sql: string, params: unknown[] = []) => fx.stack.orm.em.getConnection().execute(sql, params);

  /** Makes PostgreSQL refuse one row's move to `status` (SQLSTATE 22023: not transient, so final); returns the undo. */
  async function refuse(table: string, id: string, status: string) {
    const name = `test_refuse_${randomUUID().replace(/-/g, '')}`;
    await q(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'refused by test' using errcode = '22023'; end $$`);
    await q(`create trigger ${name} before update on ${table} for each row when (new.id = '${id}' and new.status = '${status}') execute function ${name}()`);
    return async () => {
      await q(`drop trigger ${name} on ${table}`);
      await q(`drop function ${name}()`);
    };
  }
  const businessStatus = async (workflowId: string) =>
    (await fx.stack.temporal.workflow.getHandle(workflowId).describe()).typedSearchAttributes.get(SA_BUSINESS_STATUS);

  it('when a paid top-up cannot be recorded, then it is parked and listed, and an admin retry credits it once', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'khalti' })).body.data;
    const undo = await refuse('payment_intents', intent.intent_id, 'success');
    try {
      await fx.boxes.khalti.pay(intent.gateway_ref, { follow: true });
      const parked = await eventually(async () => (await fx.attention.list()).find((p) => p.id === intent.intent_id));
      expect(parked).toMatchObject({ kind: 'payment_intent', step: 'decide', reason: expect.stringContaining('DataError'), since: expect.any(String) });
      expect(await businessStatus(`payment-intent:${intent.intent_id}`)).toBe('needs_attention');
      expect((await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data).toMatchObject({
        status: 'pending',
        state: 'needs_attention',
      });
    } finally {
      await undo();
    }
    expect(await fx.attention.act('payment_intent', intent.intent_id, { action: 'retry', by: 'admin-1' })).toEqual({ accepted: true, action: 'retry' });
    expect(await fx.stack.temporal.workflow.getHandle(`payment-intent:${intent.intent_id}`).result()).toMatchObject({ state: 'success' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    expect((await fx.attention.list()).some((p) => p.id === intent.intent_id)).toBe(false);
    await expect(fx.attention.act('payment_intent', intent.intent_id, { action: 'retry', by: 'admin-1' })).rejects.toBeInstanceOf(AppError);
  });

  it('when an approved refund cannot be recorded, then it is parked, and an admin resolving it ends it failed with the note', async () => {
    const userId = await createUser(fx.stack.orm);
    await fundWallet(fx.money.ledger, userId, 10_000);
    const charge = await fx.money.charges.charge({ currency: 'NPR', key: `rental-charge:${randomUUID()}`, userId, amountMinor: 4_000, mode: 'wallet_only' });
    const refund = (
      await fx
        .api()
        .post(`/api/payment/refund/${charge.id}`)
        .set(await bearer(fx.stack, userId))
        .send({})
    ).body.data;
    const undo = await refuse('refund_requests', refund.id, 'completed');
    try {
      void fx
        .api()
        .post(`/api/admin/refunds/${refund.id}/approve`)
        .set(await bearer(fx.stack, randomUUID(), 'admin'))
        .then((r) => r);
      expect(await eventually(async () => (await fx.attention.list()).find((p) => p.id === refund.id))).toMatchObject({ kind: 'refund', step: 'finish' });
      expect((await q(`select status from refund_requests where id = ?`, [refund.id]))[0].status).toBe('needs_attention');
    } finally {
      await undo();
    }
    await fx.attention.act('refund', refund.id, { action: 'resolve', by: 'admin-2', note: 'refunded by bank transfer' });
    expect(await fx.stack.temporal.workflow.getHandle(`refund:${refund.id}`).result()).toMatchObject({ state: 'failed' });
    expect((await q(`select status, failure_reason, attention_resolved_by from refund_requests where id = ?`, [refund.id]))[0]).toEqual({
      status: 'failed',
      failure_reason: 'resolved by an admin: refunded by bank transfer',
      attention_resolved_by: 'admin-2',
    });
    await expect(fx.attention.act('refund', randomUUID(), { action: 'retry', by: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});
