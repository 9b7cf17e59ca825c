import { condition, ParentClosePolicy, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { AttentionResolved, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { dispenseOtpWorkflowId } from '../rules/references';
import { FINAL_PAYMENT_STATUSES, type PaymentStatus } from '../rules/statuses';
import { waterActs, waterGuard, type WaterActs } from './acts';
import {
  checkNowUpdate,
  gatewayHintSignal,
  paymentQuery,
  startedUpdate,
  type PaymentSnapshot,
  type WaterPaymentInput,
  type WaterPaymentWorkflow,
} from './definitions';
import { dispenseOtpWorkflow } from './dispense-otp.workflow';

const isFinal = (s: PaymentSnapshot) => FINAL_PAYMENT_STATUSES.includes(s.status);
const causeOf = (err: unknown) => ((err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message);

async function settle(a: WaterActs, s: PaymentSnapshot, status: PaymentStatus, resultCode: number | null, resultDesc: string) {
  const row = await a.db.waterSettlePayment({ transactionReference: s.transactionReference, status, resultCode, resultDesc });
  Object.assign(s, { status: row.status, reason: row.status === 'completed' ? undefined : resultDesc });
  setBusinessStatus(s.status);
}

type Wakes = { hints: number; seen: number; wanted: number; served: number };

/**
 * Past the deadline with the gateway unreachable (its last look failed past its retries): whether
 * the customer paid is unknown, so the run parks as `needs_attention` instead of `timeout`. An
 * admin's retry asks again; resolve closes it `failed` with the admin's note.
 */
async function lastLook(input: WaterPaymentInput, s: PaymentSnapshot, a: WaterActs, guard: Guard) {
  try {
    const look = await guard('ask the gateway', () => a.gateway.waterLookupPayment({ transactionReference: input.transactionReference }));
    if (look.state === 'answered') return settle(a, s, look.status, look.resultCode, look.resultDesc);
    return settle(a, s, 'timeout', null, `no final answer within ${Math.round(input.timeoutMs / 60_000)} minutes`);
  } catch (err) {
    if (!(err instanceof AttentionResolved)) throw err;
    return settle(a, s, 'failed', null, err.message);
  }
}

/** Asks the gateway on every hint, check or back-off timer until the payment is final or the deadline passed. */
async function untilFinal(input: WaterPaymentInput, s: PaymentSnapshot, w: Wakes, a: WaterActs, guard: Guard) {
  const deadline = workflowInfo().runStartTime.getTime() + input.timeoutMs;
  let wait = input.pollMs;
  while (!isFinal(s)) {
    const remaining = deadline - Date.now();
    if (remaining > 0 && !(await condition(() => w.hints > w.seen || w.wanted > w.served, Math.min(wait, remaining))))
      wait = Math.min(wait * 2, input.maxPollMs);
    w.seen = w.hints;
    const ticket = w.wanted;
    const look = await a.poll.waterLookupPayment({ transactionReference: input.transactionReference }).catch(() => undefined);
    if (look?.state === 'answered') await settle(a, s, look.status, look.resultCode, look.resultDesc);
    else if (Date.now() >= deadline && !look && a.split) await lastLook(input, s, a, guard);
    else if (Date.now() >= deadline) await settle(a, s, 'timeout', null, `no final answer within ${Math.round(input.timeoutMs / 60_000)} minutes`);
    w.served = Math.max(w.served, ticket);
  }
}

/**
 * `water-payment:<transactionReference>`: sends the STK push (or opens the Paystack page), then
 * waits for whichever comes first, a gateway hint (Daraja callback, Paystack webhook: a signal),
 * a customer's check (update) or its own back-off timer, and asks the gateway for the truth each
 * time: a callback alone never completes a payment. Completed: the sale is posted to the ledger
 * once and the `dispense-otp` workflow starts; nothing final after `timeoutMs`: `timeout` (or
 * `needs_attention` when the gateway could not be asked at all).
 */
export const waterPaymentWorkflow: WaterPaymentWorkflow = async function waterPaymentWorkflow(input) {
  const s: PaymentSnapshot = { transactionReference: input.transactionReference, status: 'pending' };
  const w: Wakes = { hints: 0, seen: 0, wanted: 0, served: 0 };
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
  const a = waterActs();
  const guard = waterGuard('water_payment', input.transactionReference, a, () => s.status);
  try {
    const initiate = a.split ? a.gateway.waterInitiatePayment : a.db.waterInitiatePayment;
    Object.assign(s, await initiate({ transactionReference: input.transactionReference }), { status: 'processing' });
    setBusinessStatus('processing');
  } catch (err) {
    await settle(a, s, 'failed', null, `initiation failed: ${causeOf(err)}`);
    return s;
  }
  await untilFinal(input, s, w, a, guard);
  if (s.status === 'completed')
    await startChild(dispenseOtpWorkflow, {
      workflowId: dispenseOtpWorkflowId(input.transactionReference),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: startAttributes({ surface: 'water', status: 'active' }),
      args: [{ transactionReference: input.transactionReference, liters: input.liters, ...input.otp }],
    });
  return s;
};
