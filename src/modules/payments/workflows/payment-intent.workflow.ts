import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/payment.activities';
import { cancelSignal, gatewayNotifiedSignal, sessionUpdate, statusQuery, verifyUpdate, type IntentSnapshot, type PaymentIntentWorkflow } from './definitions';
import { close, decide, finish, isFinal, type LookupResult } from './intent-steps';

const session = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second', nonRetryableErrorTypes: ['IntentNotFound', 'GatewayNotConfigured'] },
});
const lookups = proxyActivities<PaymentActivities>({ startToCloseTimeout: '15 seconds', retry: { maximumAttempts: 2, initialInterval: '1 second' } });

/** What wakes the intent up: gateway hints (signals), customer verifies (updates), a cancel. */
function listen(s: IntentSnapshot) {
  const w = { hints: 0, seenHints: 0, verifyWanted: 0, verifyServed: 0, cancelBy: undefined as string | undefined };
  setHandler(statusQuery, () => s);
  setHandler(gatewayNotifiedSignal, () => {
    w.hints++;
  });
  setHandler(cancelSignal, ({ by }) => {
    w.cancelBy ??= by;
  });
  setHandler(sessionUpdate, async () => {
    await condition(() => s.state !== 'creating');
    return s;
  });
  setHandler(verifyUpdate, async () => {
    const ticket = ++w.verifyWanted;
    await condition(() => w.verifyServed >= ticket || isFinal(s));
    return s;
  });
  return w;
}

/**
 * `payment-intent:<id>`: opens the gateway session, then waits for whichever comes first — a
 * webhook (signal), a client verify (update) or its own poll (timer) — and asks the gateway for
 * the truth each time. Paid: credits the wallet once, awards points, notifies. Expires after ttl.
 */
export const paymentIntentWorkflow: PaymentIntentWorkflow = async function paymentIntentWorkflow(input) {
  const s: IntentSnapshot = { intentId: input.intentId, state: 'creating' };
  const w = listen(s);

  try {
    Object.assign(s, await session.createGatewaySession({ intentId: input.intentId, returnUrl: input.returnUrl }), { state: 'pending' });
  } catch (err) {
    await close(
      input,
      s,
      'failed',
      `gateway session failed: ${(err as Error).cause instanceof ApplicationFailure ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
    return finish(s);
  }

  const deadline = workflowInfo().runStartTime.getTime() + input.ttlMs;
  while (!isFinal(s)) {
    const remaining = deadline - Date.now();
    if (remaining > 0)
      await condition(() => w.hints > w.seenHints || w.verifyWanted > w.verifyServed || w.cancelBy !== undefined, Math.min(input.pollMs, remaining));
    const expired = Date.now() >= deadline;
    w.seenHints = w.hints;
    const ticket = w.verifyWanted;
    let result: LookupResult | undefined;
    try {
      result = await lookups.lookupPayment({ intentId: input.intentId, gateway: input.gateway, gatewayRef: s.gatewayRef!, amountMinor: input.amountMinor });
    } catch {
      result = undefined; // gateway unreachable: decide on the next wake-up
    }
    await decide(input, s, result, { cancelBy: w.cancelBy, expired });
    w.verifyServed = Math.max(w.verifyServed, ticket);
  }
  return finish(s);
};
