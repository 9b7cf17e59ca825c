import { ApplicationFailure, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { AttentionResolved, createAttentionGuard, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { paymentActs, type PaymentActs } from './acts';
import {
  cancelSignal,
  gatewayNotifiedSignal,
  sessionUpdate,
  statusQuery,
  verifyUpdate,
  type IntentSnapshot,
  type PaymentIntentInput,
  type PaymentIntentWorkflow,
} from './definitions';
import { close, decide, finish, isFinal, type LookupResult } from './intent-steps';
import { PAYMENT_PATCHES } from './patches';

type Wakes = ReturnType<typeof listen>;

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

const failureText = (err: unknown) => ((err as Error).cause instanceof ApplicationFailure ? ((err as Error).cause as Error).message : (err as Error).message);

/** Parks the intent (`needs_attention`, row + BusinessStatus) on an unexpected final error, for an admin to retry or resolve. */
function intentGuard(input: PaymentIntentInput, s: IntentSnapshot, a: PaymentActs): Guard {
  const ref = { kind: 'payment_intent' as const, id: input.intentId };
  return createAttentionGuard(
    { mark: ({ reason, step }) => a.db.markPaymentAttention({ ...ref, reason, step }), clear: () => a.db.clearPaymentAttention(ref) },
    { isExpected: () => false, resumeStatus: () => (s.state === 'creating' ? 'pending' : s.state), enabled: () => patched(PAYMENT_PATCHES.parkOnFailure) },
  );
}

/** Opens the gateway session (bounded by the customer's wait); a gateway that refuses or stays away closes the intent failed. */
async function openSession(input: PaymentIntentInput, s: IntentSnapshot, a: PaymentActs, guard: Guard): Promise<boolean> {
  try {
    const args = { intentId: input.intentId, returnUrl: input.returnUrl };
    const session = a.split
      ? await a.session
          .openGatewaySession(args)
          .then((opened) => guard('record-session', () => a.db.recordGatewaySession({ intentId: input.intentId, session: opened })))
      : await a.session.createGatewaySession(args);
    Object.assign(s, session, { state: 'pending' });
    return true;
  } catch (err) {
    if (err instanceof AttentionResolved) throw err;
    await guard('close', () => close(input, s, a, { state: 'failed', reason: `gateway session failed: ${failureText(err)}` }));
    return false;
  }
}

/** Polls until a look at the gateway (on a hint, a verify, its own timer, the TTL or a cancel) ends the intent. */
async function untilFinal(input: PaymentIntentInput, s: IntentSnapshot, w: Wakes, a: PaymentActs, guard: Guard): Promise<void> {
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
      result = await a.lookup.lookupPayment({ intentId: input.intentId, gateway: input.gateway, gatewayRef: s.gatewayRef!, amountMinor: input.amountMinor });
    } catch {
      result = undefined; // gateway unreachable or refusing: decide on the next wake-up (after the TTL, the late checks ask again)
    }
    await guard('decide', () => decide(input, s, result, { cancelBy: w.cancelBy, expired }, a));
    w.verifyServed = Math.max(w.verifyServed, ticket);
  }
}

/**
 * `payment-intent:<id>`: opens the gateway session, then waits for whichever comes first — a
 * webhook (signal), a client verify (update) or its own poll (timer) — and asks the gateway for
 * the truth each time. Paid: credits the wallet once, awards points, notifies. Expires after ttl
 * (canceled at the gateway where it can be; otherwise looked up again later by the late-check
 * schedule, which credits a late payment). A step that cannot go on parks it as `needs_attention`.
 */
export const paymentIntentWorkflow: PaymentIntentWorkflow = async function paymentIntentWorkflow(input) {
  const a = paymentActs({ sessionTimeoutMs: input.sessionTimeoutMs });
  const s: IntentSnapshot = { intentId: input.intentId, state: 'creating' };
  const w = listen(s);
  const guard = intentGuard(input, s, a);
  try {
    if (await openSession(input, s, a, guard)) await untilFinal(input, s, w, a, guard);
  } catch (err) {
    if (!(err instanceof AttentionResolved)) throw err;
    await a.db.resolvePaymentAttention({ kind: 'payment_intent', id: input.intentId, by: err.request.by, note: err.request.note });
    Object.assign(s, { state: 'failed', reason: err.message });
    setBusinessStatus('resolved');
  }
  return finish(s);
};
