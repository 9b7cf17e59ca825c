import { allHandlersFinished, CancellationScope, condition, isCancellation, patched, setHandler } from '@temporalio/workflow';
import { formatMinor } from '../../../kernel/money';
import { AttentionResolved, createAttentionGuard, type Guard } from '../../../kernel/temporal/attention';
import { setBusinessStatus, setBusinessStatusPatched } from '../../../kernel/temporal/business-status';
import { gatewayDisplayName } from '../rules/methods';
import { amountCurrency, moneyText } from '../rules/currency';
import { paymentActs, type PaymentActs } from './acts';
import {
  approveRefundSignal,
  decideRefundUpdate,
  gatewayRefundSettledSignal,
  refundStatusQuery,
  rejectRefundSignal,
  type RefundInput,
  type RefundState,
  type RefundWorkflow,
} from './definitions';
import { PAYMENT_PATCHES } from './patches';
import { carryOut, carryOutBeforeAwaitingGateway, isBusinessRefusal, type Decision, type Outcome, type RefundHints } from './refund-steps';

/** The admin's decision: the first one wins, whether it came as the update or as a signal. Also the gateway's refund hints. */
function awaitDecision(out: Outcome, hints: RefundHints) {
  const holder: { decision?: Decision } = {};
  setHandler(refundStatusQuery, () => out);
  setHandler(approveRefundSignal, ({ adminId }) => {
    holder.decision ??= { approve: true, adminId };
  });
  setHandler(rejectRefundSignal, ({ adminId, reason }) => {
    holder.decision ??= { approve: false, adminId, reason };
  });
  setHandler(decideRefundUpdate, (d) => {
    const accepted = holder.decision === undefined;
    holder.decision ??= d.approve ? { approve: true, adminId: d.adminId } : { approve: false, adminId: d.adminId, reason: d.reason };
    return { accepted, decision: { approve: holder.decision.approve, adminId: holder.decision.adminId } };
  });
  setHandler(gatewayRefundSettledSignal, () => {
    hints.hints++;
  });
  return holder;
}

/** The customer's notice of how the refund ended. */
async function tellCustomer(input: RefundInput, out: Outcome, manualPayout: boolean, a: PaymentActs): Promise<void> {
  const amount = moneyText(input.amountMinor, amountCurrency(input), formatMinor);
  const titles: Record<RefundState, string> = { pending: '', completed: 'Refund completed', rejected: 'Refund rejected', failed: 'Refund failed' };
  await a.db.notifyMoneyEvent({
    userId: input.userId,
    type: 'refund_status',
    dedupeKey: `refund-status:${input.refundId}`,
    title: titles[out.state],
    message:
      out.state === 'completed'
        ? manualPayout
          ? `Your refund of ${amount} was approved; it will be paid back to your ${gatewayDisplayName(input.gateway?.name)} account and you will be told when it is.`
          : `Your refund of ${amount} was processed.`
        : `Your refund of ${amount} was not processed${out.reason ? `: ${out.reason}` : ''}.`,
    data: { refund_id: input.refundId, status: out.state, reason: out.reason ?? null },
  });
}

/** Parks the refund (`needs_attention`, row + BusinessStatus) on an unexpected final error; business refusals end it failed. */
function refundGuard(input: RefundInput, resume: () => string, a: PaymentActs): Guard {
  const ref = { kind: 'refund' as const, id: input.refundId };
  return createAttentionGuard(
    { mark: ({ reason, step }) => a.db.markPaymentAttention({ ...ref, reason, step }), clear: () => a.db.clearPaymentAttention(ref) },
    { isExpected: isBusinessRefusal, resumeStatus: resume, enabled: () => patched(PAYMENT_PATCHES.parkOnFailure) },
  );
}

/** The decision carried out: rejected (nothing moves), or approved (./refund-steps.ts). */
async function decided(input: RefundInput, d: Decision, out: Outcome, hints: RefundHints, a: PaymentActs, guard: Guard): Promise<boolean> {
  if (!d.approve) {
    await guard('record-decision', () => a.db.recordRefundDecision({ refundId: input.refundId, status: 'rejected', by: d.adminId, reason: d.reason }));
    Object.assign(out, { state: 'rejected', reason: d.reason });
    return false;
  }
  if (!patched(PAYMENT_PATCHES.refundAwaitsGateway)) return (await carryOutBeforeAwaitingGateway(input, d, out, a)).manualPayout;
  return (await carryOut(input, d, out, hints, a, guard)).manualPayout;
}

/**
 * `refund:<id>`: waits for an admin's decision (update or signals; none in `decisionTimeoutMs` =
 * rejected); approved → ledger reversal, the gateway refund where it has an API (completed once the
 * gateway says so), notice. A step that cannot go on parks it as `needs_attention`.
 */
export const refundWorkflow: RefundWorkflow = async function refundWorkflow(input) {
  const out: Outcome = { state: 'pending' };
  const hints: RefundHints = { hints: 0 };
  const holder = awaitDecision(out, hints);
  const a = paymentActs();
  const d = await decisionOf(input, holder);
  setBusinessStatusPatched(d.approve ? 'approved' : 'rejected');
  const guard = refundGuard(input, () => (d.approve ? 'approved' : 'rejected'), a);
  const carryOutDecision = async () => {
    try {
      const manualPayout = await decided(input, d, out, hints, a, guard);
      setBusinessStatusPatched(out.state);
      await guard('notify', () => tellCustomer(input, out, manualPayout, a));
    } catch (err) {
      if (!(err instanceof AttentionResolved)) throw err;
      await a.db.resolvePaymentAttention({ kind: 'refund', id: input.refundId, by: err.request.by, note: err.request.note });
      Object.assign(out, { state: 'failed', reason: err.message });
      setBusinessStatus('resolved');
    }
  };
  // Money that moved is never left half-way: an operator's cancel from here on does not interrupt the decision.
  if (patched(PAYMENT_PATCHES.refundCancel)) await CancellationScope.nonCancellable(carryOutDecision);
  else await carryOutDecision();
  await condition(allHandlersFinished);
  return out;
};

/** The admin's decision; none in `decisionTimeoutMs` is a rejection, and so is an operator's cancel before one. */
async function decisionOf(input: RefundInput, holder: { decision?: Decision }): Promise<Decision> {
  try {
    const decidedInTime = await condition(() => holder.decision !== undefined, input.decisionTimeoutMs);
    if (!decidedInTime) holder.decision = { approve: false, adminId: 'system', reason: 'no decision in time' };
  } catch (err) {
    if (!isCancellation(err) || !patched(PAYMENT_PATCHES.refundCancel)) throw err;
    holder.decision ??= { approve: false, adminId: 'system', reason: 'cancelled by an operator' };
  }
  return holder.decision!;
}
