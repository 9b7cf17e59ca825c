import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/payment.activities';
import { formatMinor } from '../../../kernel/money';
import { setBusinessStatusPatched } from '../../../kernel/temporal/business-status';
import { gatewayNotifiedSignal, cancelSignal, sessionUpdate, verifyUpdate, statusQuery, type PaymentIntentInput, type IntentState, type IntentSnapshot, type PaymentIntentWorkflow } from './definitions';
import { amountCurrency, moneyText } from '../rules/currency';

const acts = proxyActivities<PaymentActivities>({ startToCloseTimeout: '20 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['IntentNotFound', 'GatewayNotConfigured'] } });
const session = proxyActivities<PaymentActivities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 3, initialInterval: '1 second', nonRetryableErrorTypes: ['IntentNotFound', 'GatewayNotConfigured'] } });
const lookups = proxyActivities<PaymentActivities>({ startToCloseTimeout: '15 seconds', retry: { maximumAttempts: 2, initialInterval: '1 second' } });

const TERMINAL: IntentState[] = ['success', 'failed', 'canceled', 'expired'];

/**
 * `payment-intent:<id>`: opens the gateway session, then waits for whichever comes first — a
 * webhook (signal), a client verify (update) or its own poll (timer) — and asks the gateway for
 * the truth each time. Paid: credits the wallet once, awards points, notifies. Expires after ttl.
 */
export const paymentIntentWorkflow: PaymentIntentWorkflow = async function paymentIntentWorkflow(input) {
  const s: IntentSnapshot = { intentId: input.intentId, state: 'creating' };
  let hints = 0;
  let seenHints = 0;
  let verifyWanted = 0;
  let verifyServed = 0;
  let cancelBy: string | undefined;
  const done = () => TERMINAL.includes(s.state);

  setHandler(statusQuery, () => s);
  setHandler(gatewayNotifiedSignal, () => { hints++; });
  setHandler(cancelSignal, ({ by }) => { cancelBy ??= by; });
  setHandler(sessionUpdate, async () => { await condition(() => s.state !== 'creating'); return s; });
  setHandler(verifyUpdate, async () => {
    const ticket = ++verifyWanted;
    await condition(() => verifyServed >= ticket || done());
    return s;
  });

  try {
    Object.assign(s, await session.createGatewaySession({ intentId: input.intentId, returnUrl: input.returnUrl }), { state: 'pending' });
  } catch (err) {
    await close('failed', `gateway session failed: ${(err as Error).cause instanceof ApplicationFailure ? ((err as Error).cause as Error).message : (err as Error).message}`);
    return finish();
  }

  const deadline = workflowInfo().runStartTime.getTime() + input.ttlMs;
  while (!done()) {
    const remaining = deadline - Date.now();
    if (remaining > 0) await condition(() => hints > seenHints || verifyWanted > verifyServed || cancelBy !== undefined, Math.min(input.pollMs, remaining));
    const expired = Date.now() >= deadline;
    seenHints = hints;
    const ticket = verifyWanted;
    let result: Awaited<ReturnType<PaymentActivities['lookupPayment']>> | undefined;
    try {
      result = await lookups.lookupPayment({ intentId: input.intentId, gateway: input.gateway, gatewayRef: s.gatewayRef!, amountMinor: input.amountMinor });
    } catch {
      result = undefined; // gateway unreachable: decide on the next wake-up
    }
    if (result?.status === 'success') {
      if (result.amountMinor !== undefined && result.amountMinor !== input.amountMinor) await close('failed', `amount mismatch: gateway reports ${result.amountMinor}, expected ${input.amountMinor}`);
      else await settle(result.gatewayTxnId ?? null);
    } else if (result && ['failed', 'canceled', 'expired', 'refunded'].includes(result.status)) {
      await close(result.status === 'expired' ? 'expired' : 'failed', `gateway reports ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
    } else if (cancelBy !== undefined) {
      await close('canceled', `canceled by ${cancelBy}`);
    } else if (expired) {
      await close('expired', `not paid within ${Math.round(input.ttlMs / 60000)} minutes`);
    }
    verifyServed = Math.max(verifyServed, ticket);
  }
  return finish();

  async function settle(gatewayTxnId: string | null) {
    const settled = await acts.settleTopup({ intentId: input.intentId, userId: input.userId, gateway: input.gateway, amountMinor: input.amountMinor, gatewayTxnId });
    s.pointsAwarded = settled.pointsAwarded;
    s.state = 'success';
    setBusinessStatusPatched('success');
    await acts.notifyMoneyEvent({
      userId: input.userId, type: 'payment_status', dedupeKey: `payment-status:${input.intentId}:success`,
      title: 'Top-up successful', message: `${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} was added to your wallet${s.pointsAwarded ? ` and you earned ${s.pointsAwarded} points` : ''}.`,
      data: { intent_id: input.intentId, status: 'success', amount: formatMinor(input.amountMinor), gateway: input.gateway, points: s.pointsAwarded },
    });
  }

  async function close(state: 'failed' | 'canceled' | 'expired', reason: string) {
    await acts.closeIntent({ intentId: input.intentId, status: state, reason });
    s.state = state;
    setBusinessStatusPatched(state);
    s.reason = reason;
    await acts.notifyMoneyEvent({
      userId: input.userId, type: 'payment_status', dedupeKey: `payment-status:${input.intentId}:${state}`,
      title: state === 'canceled' ? 'Top-up canceled' : 'Top-up failed', message: `Your ${moneyText(input.amountMinor, amountCurrency(input), formatMinor)} top-up did not go through (${reason}).`,
      data: { intent_id: input.intentId, status: state, reason, gateway: input.gateway },
    });
  }

  async function finish() {
    await condition(allHandlersFinished);
    return s;
  }
};
