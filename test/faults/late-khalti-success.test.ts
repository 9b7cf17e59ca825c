import { randomUUID } from 'node:crypto';
import { createLedgerServices } from '../../src/modules/ledger/services/ledger-services';
import type { PaymentLateCheckWorkflow } from '../../src/modules/payments';
import { bearer, createUser, usePaymentStack } from '../money/support';
import { eventually } from '../support/stack';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * Khalti holds a payment (`Pending`) past the intent's TTL, so the app closes the intent `expired`;
 * Khalti completes it later and sends nobody anywhere (no callback, no webhook). The late-check
 * schedule's sweep credits it. The TTL is 3 s here, the first late look due at once.
 */
describe('faults: a Khalti payment completed after the intent expired', () => {
  const fx = usePaymentStack(
    { env: { PAYMENT_INTENT_TTL_MINUTES: '0.05', PAYMENT_POLL_SECONDS: '1', PAYMENT_LATE_CHECK_FIRST_MINUTES: '0.001' }, bridge: false },
    ({ stack }) => ({ money: createLedgerServices(stack.orm) }),
  );

  it('when Khalti completes a held payment after the TTL, then the late check credits it once and nothing is stranded', async () => {
    const userId = await createUser(fx.stack.orm);
    const auth = await bearer(fx.stack, userId);
    const intent = (await fx.api().post('/api/payment/wallet/topup-intent').set(auth).send({ amount: '250.00', gateway: 'khalti' })).body.data;
    await fx.boxes.khalti.pay(intent.gateway_ref, { outcome: 'Pending', follow: true });
    const expired = await eventually(async () => {
      const r = (await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data;
      return r.state === 'expired' ? r : null;
    }, 15_000);
    expect(expired).toMatchObject({ status: 'failed', state: 'expired' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 0, points: 0 });

    expect((await fx.boxes.khalti.pay(intent.gateway_ref)).redirect_url).toBeNull();
    const swept = await fx.stack.temporal.workflow.execute<PaymentLateCheckWorkflow>('paymentLateCheckWorkflow', {
      workflowId: `payment-late-check-test:${randomUUID()}`,
      taskQueue: fx.stack.config.TEMPORAL_TASK_QUEUE,
      args: [{ only: [intent.intent_id] }],
    });
    expect(swept).toEqual({ looked: 1, credited: 1 });
    expect((await fx.api().get(`/api/payment/status/${intent.intent_id}`).set(auth)).body.data).toMatchObject({ status: 'success' });
    expect(await fx.money.ledger.balances(userId, 'NPR')).toEqual({ walletMinor: 25_000, points: 20 });
    expect(await strandedState(fx.stack, [userId])).toEqual(NOTHING_STRANDED);
  });
});
