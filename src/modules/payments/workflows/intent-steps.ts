import { allHandlersFinished, condition, proxyActivities } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/payment.activities';
import { formatMinor } from '../../../kernel/money';
import { setBusinessStatusPatched } from '../../../kernel/temporal/business-status';
import { amountCurrency, moneyText } from '../rules/currency';
import type { IntentState, IntentSnapshot, PaymentIntentInput } from './definitions';

const acts = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['IntentNotFound', 'GatewayNotConfigured'] },
});

export type LookupResult = Awaited<ReturnType<PaymentActivities['lookupPayment']>>;

const TERMINAL: IntentState[] = ['success', 'failed', 'canceled', 'expired'];
export const isFinal = (s: IntentSnapshot) => TERMINAL.includes(s.state);

/** Paid: credits the wallet once, awards points, tells the customer. */
export async function settle(input: PaymentIntentInput, s: IntentSnapshot, gatewayTxnId: string | null): Promise<void> {
  const settled = await acts.settleTopup({
    intentId: input.intentId,
    userId: input.userId,
    gateway: input.gateway,
    amountMinor: input.amountMinor,
    gatewayTxnId,
  });
  s.pointsAwarded = settled.pointsAwarded;
  s.state = 'success';
  setBusinessStatusPatched('success');
  await acts.notifyMoneyEvent({
    userId: input.userId,
    type: 'payment_status',
    dedupeKey: `payment-status:${input.intentId}:success`,
    title: 'Top-up successful',
    message: `${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} was added to your wallet${s.pointsAwarded ? ` and you earned ${s.pointsAwarded} points` : ''}.`,
    data: { intent_id: input.intentId, status: 'success', amount: formatMinor(input.amountMinor), gateway: input.gateway, points: s.pointsAwarded },
  });
}

/** Ended without payment: the row says why, and so does the customer's notice. */
export async function close(input: PaymentIntentInput, s: IntentSnapshot, state: 'failed' | 'canceled' | 'expired', reason: string): Promise<void> {
  await acts.closeIntent({ intentId: input.intentId, status: state, reason });
  s.state = state;
  setBusinessStatusPatched(state);
  s.reason = reason;
  await acts.notifyMoneyEvent({
    userId: input.userId,
    type: 'payment_status',
    dedupeKey: `payment-status:${input.intentId}:${state}`,
    title: state === 'canceled' ? 'Top-up canceled' : 'Top-up failed',
    message: `Your ${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} top-up did not go through (${reason}).`,
    data: { intent_id: input.intentId, status: state, reason, gateway: input.gateway },
  });
}

/**
 * What one look at the gateway decides: paid (unless the amount differs), failed at the gateway,
 * canceled by the customer, expired, or still pending (nothing to do yet).
 */
export async function decide(
  input: PaymentIntentInput,
  s: IntentSnapshot,
  result: LookupResult | undefined,
  wake: { cancelBy?: string; expired: boolean },
): Promise<void> {
  if (result?.status === 'success') {
    if (result.amountMinor !== undefined && result.amountMinor !== input.amountMinor)
      await close(input, s, 'failed', `amount mismatch: gateway reports ${result.amountMinor}, expected ${input.amountMinor}`);
    else await settle(input, s, result.gatewayTxnId ?? null);
  } else if (result && ['failed', 'canceled', 'expired', 'refunded'].includes(result.status)) {
    await close(input, s, result.status === 'expired' ? 'expired' : 'failed', `gateway reports ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  } else if (wake.cancelBy !== undefined) {
    await close(input, s, 'canceled', `canceled by ${wake.cancelBy}`);
  } else if (wake.expired) {
    await close(input, s, 'expired', `not paid within ${Math.round(input.ttlMs / 60000)} minutes`);
  }
}

/** Waits until the handlers that answered the customer have finished, then returns the snapshot. */
export async function finish(s: IntentSnapshot): Promise<IntentSnapshot> {
  await condition(allHandlersFinished);
  return s;
}
