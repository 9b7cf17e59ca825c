import { condition, ParentClosePolicy, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import type { DispensingActivities } from '../activities/dispensing.activities';
import { dispenseOtpWorkflowId } from '../rules/references';
import { FINAL_PAYMENT_STATUSES, type PaymentStatus } from '../rules/statuses';
import { checkNowUpdate, gatewayHintSignal, paymentQuery, startedUpdate, type PaymentSnapshot, type WaterPaymentWorkflow } from './definitions';
import { dispenseOtpWorkflow } from './dispense-otp.workflow';

/** Database and money steps retry without a cap; a gateway's refusal (AppError) is final. */
const db = proxyActivities<DispensingActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });
/** A look at the gateway gives up after a few tries: the loop asks again on its next wake-up. */
const gateway = proxyActivities<DispensingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
});

const isFinal = (s: PaymentSnapshot) => FINAL_PAYMENT_STATUSES.includes(s.status);

async function settle(s: PaymentSnapshot, status: PaymentStatus, resultCode: number | null, resultDesc: string) {
  const row = await db.waterSettlePayment({ transactionReference: s.transactionReference, status, resultCode, resultDesc });
  Object.assign(s, { status: row.status, reason: row.status === 'completed' ? undefined : resultDesc });
  setBusinessStatus(s.status);
}

/**
 * `water-payment:<transactionReference>`: sends the STK push (or opens the Paystack page), then
 * waits for whichever comes first, a gateway hint (Daraja callback, Paystack webhook: a signal),
 * a customer's check (update) or its own back-off timer, and asks the gateway for the truth each
 * time: a callback alone never completes a payment. Completed: the sale is posted to the ledger
 * once and the `dispense-otp` workflow starts; nothing final after `timeoutMs`: `timeout`.
 */
export const waterPaymentWorkflow: WaterPaymentWorkflow = async function waterPaymentWorkflow(input) {
  const s: PaymentSnapshot = { transactionReference: input.transactionReference, status: 'pending' };
  const w = { hints: 0, seen: 0, wanted: 0, served: 0 };
  setHandler(paymentQuery, () => s);
  setHandler(gatewayHintSignal, () => void w.hints++);
  setHandler(startedUpdate, async () => {
    await condition(() => s.status !== 'pending');
    return s;
  });
  setHandler(checkNowUpdate, async () => {
    const ticket = ++w.wanted;
    await condition(() => w.served >= ticket || isFinal(s));
    return s;
  });
  try {
    Object.assign(s, await db.waterInitiatePayment({ transactionReference: input.transactionReference }), { status: 'processing' });
    setBusinessStatus('processing');
  } catch (err) {
    await settle(
      s,
      'failed',
      null,
      `initiation failed: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
    return s;
  }
  const deadline = workflowInfo().runStartTime.getTime() + input.timeoutMs;
  let wait = input.pollMs;
  while (!isFinal(s)) {
    const remaining = deadline - Date.now();
    if (remaining > 0 && !(await condition(() => w.hints > w.seen || w.wanted > w.served, Math.min(wait, remaining))))
      wait = Math.min(wait * 2, input.maxPollMs);
    w.seen = w.hints;
    const ticket = w.wanted;
    const look = await gateway.waterLookupPayment({ transactionReference: input.transactionReference }).catch(() => undefined);
    if (look?.state === 'answered') await settle(s, look.status, look.resultCode, look.resultDesc);
    else if (Date.now() >= deadline) await settle(s, 'timeout', null, `no final answer within ${Math.round(input.timeoutMs / 60_000)} minutes`);
    w.served = Math.max(w.served, ticket);
  }
  if (s.status === 'completed')
    await startChild(dispenseOtpWorkflow, {
      workflowId: dispenseOtpWorkflowId(input.transactionReference),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: startAttributes({ surface: 'water', status: 'active' }),
      args: [{ transactionReference: input.transactionReference, liters: input.liters, ...input.otp }],
    });
  return s;
};
