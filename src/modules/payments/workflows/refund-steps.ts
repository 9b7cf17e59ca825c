import { ApplicationFailure, condition } from '@temporalio/workflow';
import { AttentionResolved, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus } from '../../../kernel/temporal/business-status';
import { amountCurrency } from '../rules/currency';
import { BUSINESS_REFUSALS, type PaymentActs } from './acts';
import type { RefundInput, RefundState } from './definitions';

export type Decision = { approve: boolean; adminId: string; reason?: string };
export type Outcome = { state: RefundState; reason?: string };
/** The gateway's latest word on a pending refund (a webhook hint), set by the `gatewayRefundSettled` signal. */
export type RefundHints = { hints: number };

export const failureMessage = (err: unknown) => (err as { cause?: Error }).cause?.message ?? (err as Error).message;

/** A final business answer (a shortfall, a refund the gateway refused): the workflow ends the refund failed; anything else parks it. */
export const isBusinessRefusal = (err: unknown) => {
  const cause = (err as { cause?: unknown }).cause ?? err;
  return cause instanceof ApplicationFailure && BUSINESS_REFUSALS.includes(cause.type ?? '');
};

const MINUTE = 60_000;

/**
 * A gateway refund that settles later (Stripe `pending`): waits for the webhook hint or its own
 * timer (1 minute, doubling to an hour), asks the gateway, until it says succeeded or failed.
 */
async function awaitGatewayRefund(
  input: RefundInput,
  gatewayRefundId: string,
  hints: RefundHints,
  seenBefore: number,
  a: PaymentActs,
): Promise<'succeeded' | 'failed'> {
  setBusinessStatus('refund_pending');
  let seen = seenBefore;
  for (let wait = MINUTE; ; wait = Math.min(wait * 2, 60 * MINUTE)) {
    await condition(() => hints.hints > seen, wait);
    seen = hints.hints;
    const status = await a.lookup.gatewayRefundStatus({ gateway: input.gateway!.name, gatewayRefundId }).catch(() => 'pending' as const);
    if (status !== 'pending') return status;
  }
}

/** Refunds through the gateway: null where it has no API (a manual payout), else the gateway's final word. */
async function refundAtGateway(input: RefundInput, hints: RefundHints, a: PaymentActs, guard: Guard): Promise<{ manualPayout: boolean; status: string }> {
  const gw = input.gateway!;
  // Hints count from before the refund was asked for: a webhook that lands while it is being recorded is not missed.
  const hintsBefore = hints.hints;
  const r = await guard('refund-at-gateway', () =>
    a.gateway.refundAtGateway({
      refundId: input.refundId,
      gateway: gw.name,
      gatewayRef: gw.gatewayRef,
      gatewayTxnId: gw.gatewayTxnId,
      amountMinor: input.amountMinor,
    }),
  );
  if (r === null) {
    const due = { refundId: input.refundId, userId: input.userId, gateway: gw.name, currency: amountCurrency(input), amountMinor: input.amountMinor };
    await guard('payout-due', () => a.db.recordManualPayoutDue(due));
    return { manualPayout: true, status: 'manual' };
  }
  await guard('record-gateway-refund', () => a.db.recordGatewayRefund({ refundId: input.refundId, gatewayRefundId: r.refundId, status: r.status }));
  const status = r.status === 'pending' ? await awaitGatewayRefund(input, r.refundId, hints, hintsBefore, a) : r.status;
  if (status === 'failed') throw ApplicationFailure.nonRetryable(`${gw.name} reported the refund failed`, 'GatewayRefundFailed');
  return { manualPayout: false, status };
}

/**
 * Approved: the ledger reversal (and the top-up points), then the gateway refund where it has an
 * API, completed only once the gateway says it succeeded. A refusal at any point (the wallet no
 * longer holds the money, the gateway's 4xx, a refund the gateway failed) undoes everything the
 * refund did, so the transaction can be refunded again; the refund ends failed with the reason.
 */
export async function carryOut(
  input: RefundInput,
  d: Decision,
  out: Outcome,
  hints: RefundHints,
  a: PaymentActs,
  guard: Guard,
): Promise<{ manualPayout: boolean }> {
  const ids = { refundId: input.refundId, userId: input.userId };
  await guard('record-decision', () => a.db.recordRefundDecision({ refundId: input.refundId, status: 'approved', by: d.adminId }));
  let manualPayout = false;
  let gatewayStatus: string | null = null;
  try {
    await guard('reverse', () => a.db.reverseRefundedEntry({ ...ids, transactionId: input.transactionId, by: d.adminId }));
    if (input.gateway) ({ manualPayout, status: gatewayStatus } = await refundAtGateway(input, hints, a, guard));
  } catch (err) {
    if (err instanceof AttentionResolved) throw err;
    out.reason = failureMessage(err);
    await guard('undo', () => a.db.undoRefund({ ...ids, why: `Refund undone: ${out.reason}`.slice(0, 255) }));
    await guard('finish', () =>
      a.db.finishRefund({ refundId: input.refundId, status: 'failed', reason: out.reason, gatewayRefundStatus: input.gateway ? 'failed' : null }),
    );
    out.state = 'failed';
    return { manualPayout: false };
  }
  await guard('finish', () =>
    a.db.finishRefund({ refundId: input.refundId, status: 'completed', gatewayRefundStatus: gatewayStatus === 'manual' ? null : gatewayStatus }),
  );
  out.state = 'completed';
  return { manualPayout };
}

/** Runs started before `refund-awaits-gateway-outcome`: the reversal, the gateway refund (undone if refused), as they ran then. */
export async function carryOutBeforeAwaitingGateway(input: RefundInput, d: Decision, out: Outcome, a: PaymentActs): Promise<{ manualPayout: boolean }> {
  let manualPayout = false;
  await a.db.recordRefundDecision({ refundId: input.refundId, status: 'approved', by: d.adminId });
  try {
    const { entryId } = await a.db.reverseRefundedEntry({ refundId: input.refundId, userId: input.userId, transactionId: input.transactionId, by: d.adminId });
    if (input.gateway) {
      try {
        const gw = input.gateway;
        const viaGateway = await a.db.refundThroughGateway({
          refundId: input.refundId,
          gateway: gw.name,
          gatewayRef: gw.gatewayRef,
          gatewayTxnId: gw.gatewayTxnId,
          amountMinor: input.amountMinor,
        });
        manualPayout = viaGateway === null;
      } catch (err) {
        await a.db.undoReversal({ refundId: input.refundId, reversalEntryId: entryId, userId: input.userId });
        throw err;
      }
    }
    await a.db.finishRefund({ refundId: input.refundId, status: 'completed' });
    out.state = 'completed';
  } catch (err) {
    out.reason = failureMessage(err);
    await a.db.finishRefund({ refundId: input.refundId, status: 'failed', reason: out.reason });
    out.state = 'failed';
  }
  return { manualPayout };
}
