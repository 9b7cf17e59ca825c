import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import type { LookupResult } from '../activities/gateway.activities';
import { formatMinor } from '../../../kernel/money';
import { setBusinessStatusPatched } from '../../../kernel/temporal/business-status';
import { amountCurrency, moneyText } from '../rules/currency';
import type { PaymentActs } from './acts';
import type { IntentState, IntentSnapshot, PaymentIntentInput } from './definitions';
import { PAYMENT_PATCHES } from './patches';

export type { LookupResult };

const TERMINAL: IntentState[] = ['success', 'failed', 'canceled', 'expired'];
export const isFinal = (s: IntentSnapshot) => TERMINAL.includes(s.state);
const FINAL_UNPAID = ['failed', 'canceled', 'expired', 'refunded'];

/** Paid: credits the wallet once, awards points, tells the customer. */
export async function settle(input: PaymentIntentInput, s: IntentSnapshot, gatewayTxnId: string | null, a: PaymentActs): Promise<void> {
  const settled = await a.db.settleTopup({
    intentId: input.intentId,
    userId: input.userId,
    gateway: input.gateway,
    amountMinor: input.amountMinor,
    gatewayTxnId,
  });
  s.pointsAwarded = settled.pointsAwarded;
  if (patched(PAYMENT_PATCHES.socialTopup))
    await a.social.recordTopupLanded({ userId: input.userId, intentId: input.intentId, pointsAwarded: settled.pointsAwarded });
  s.state = 'success';
  setBusinessStatusPatched('success');
  await a.db.notifyMoneyEvent({
    userId: input.userId,
    type: 'payment_status',
    dedupeKey: `payment-status:${input.intentId}:success`,
    title: 'Top-up successful',
    message: `${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} was added to your wallet${s.pointsAwarded ? ` and you earned ${s.pointsAwarded} points` : ''}.`,
    data: { intent_id: input.intentId, status: 'success', amount: formatMinor(input.amountMinor), gateway: input.gateway, points: s.pointsAwarded },
  });
}

/**
 * Ended without payment: the row says why, and so does the customer's notice. `lateCheck`: the
 * gateway has not ended it (pending, held, unreachable): the late-check schedule keeps asking.
 */
export async function close(
  input: PaymentIntentInput,
  s: IntentSnapshot,
  a: PaymentActs,
  end: { state: 'failed' | 'canceled' | 'expired'; reason: string; lateCheck?: boolean; gatewayStatus?: string | null },
): Promise<void> {
  const { state, reason } = end;
  await a.db.closeIntent({ intentId: input.intentId, status: state, reason, lateCheck: end.lateCheck, gatewayStatus: end.gatewayStatus });
  s.state = state;
  setBusinessStatusPatched(state);
  s.reason = reason;
  await a.db.notifyMoneyEvent({
    userId: input.userId,
    type: 'payment_status',
    dedupeKey: `payment-status:${input.intentId}:${state}`,
    title: state === 'canceled' ? 'Top-up canceled' : 'Top-up failed',
    message: `Your ${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} top-up did not go through (${reason}).`,
    data: { intent_id: input.intentId, status: state, reason, gateway: input.gateway },
  });
}

/**
 * Before a canceled or expired intent is closed, it is made unpayable at the gateway where the
 * gateway can (Stripe). Returns true when it turned out paid (and was settled); `lateCheck` says
 * whether the gateway could not end it (no cancel API: the late-check schedule keeps asking).
 */
async function cancelAtGateway(input: PaymentIntentInput, s: IntentSnapshot, a: PaymentActs): Promise<{ paid: boolean; lateCheck: boolean }> {
  if (!patched(PAYMENT_PATCHES.cancelAtGateway)) return { paid: false, lateCheck: true };
  const status = await a.gateway.cancelAtGateway({ gateway: input.gateway, gatewayRef: s.gatewayRef! });
  if (status !== 'success') return { paid: false, lateCheck: status === null };
  const paid = await a.lookup.lookupPayment({ intentId: input.intentId, gateway: input.gateway, gatewayRef: s.gatewayRef!, amountMinor: input.amountMinor });
  if (paid.status !== 'success') return { paid: false, lateCheck: true };
  await settle(input, s, paid.gatewayTxnId ?? null, a);
  return { paid: true, lateCheck: false };
}

/**
 * What one look at the gateway decides: paid (unless the amount differs), ended unpaid at the
 * gateway, canceled by the customer, expired, or still pending (nothing to do yet). An answer that
 * settles nothing (eSewa NOT_FOUND before the form is posted, Stripe's first decline) is pending.
 */
export async function decide(
  input: PaymentIntentInput,
  s: IntentSnapshot,
  result: LookupResult | undefined,
  wake: { cancelBy?: string; expired: boolean },
  a: PaymentActs,
): Promise<void> {
  const settles = result && !result.inconclusive;
  const gatewayStatus = result?.gatewayStatus ?? null;
  if (settles && result.status === 'success') {
    if (result.amountMinor !== undefined && result.amountMinor !== input.amountMinor)
      await close(input, s, a, { state: 'failed', reason: `amount mismatch: gateway reports ${result.amountMinor}, expected ${input.amountMinor}` });
    else await settle(input, s, result.gatewayTxnId ?? null, a);
  } else if (settles && FINAL_UNPAID.includes(result.status)) {
    const state = result.status === 'expired' ? 'expired' : 'failed';
    await close(input, s, a, { state, reason: `gateway reports ${result.status}${result.reason ? ` (${result.reason})` : ''}`, gatewayStatus });
  } else if (wake.cancelBy !== undefined) {
    const { paid, lateCheck } = await cancelAtGateway(input, s, a);
    if (!paid) await close(input, s, a, { state: 'canceled', reason: `canceled by ${wake.cancelBy}`, lateCheck, gatewayStatus });
  } else if (wake.expired) {
    const { paid, lateCheck } = await cancelAtGateway(input, s, a);
    if (!paid) await close(input, s, a, { state: 'expired', reason: `not paid within ${Math.round(input.ttlMs / 60000)} minutes`, lateCheck, gatewayStatus });
  }
}

/** Waits until the handlers that answered the customer have finished, then returns the snapshot. */
export async function finish(s: IntentSnapshot): Promise<IntentSnapshot> {
  await condition(allHandlersFinished);
  return s;
}
