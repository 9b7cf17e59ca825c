import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/payment.activities';
import type { RefundActivities } from '../activities/refund.activities';
import { formatMinor } from '../../../kernel/money';
import { gatewayDisplayName } from '../rules/methods';
import { setBusinessStatusPatched } from '../../../kernel/temporal/business-status';
import {
  approveRefundSignal,
  rejectRefundSignal,
  refundStatusQuery,
  decideRefundUpdate,
  type RefundInput,
  type RefundState,
  type RefundWorkflow,
} from './definitions';
import { amountCurrency, moneyText } from '../rules/currency';

const acts = proxyActivities<RefundActivities & Pick<PaymentActivities, 'notifyMoneyEvent'>>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['InsufficientBalance', 'AlreadyReversed', 'GatewayRefundFailed', 'GatewayNotConfigured'],
  },
});

const failureMessage = (err: unknown) => (err as { cause?: Error }).cause?.message ?? (err as Error).message;

type Decision = { approve: boolean; adminId: string; reason?: string };
type Outcome = { state: RefundState; reason?: string };

/** The admin's decision: the first one wins, whether it came as the update or as a signal. */
function awaitDecision(out: Outcome) {
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
  return holder;
}

/** Approved: the ledger reversal, then the gateway refund where it has an API (undone if the gateway refuses). */
async function carryOut(input: RefundInput, d: Decision, out: Outcome): Promise<{ manualPayout: boolean }> {
  let manualPayout = false;
  await acts.recordRefundDecision({ refundId: input.refundId, status: 'approved', by: d.adminId });
  try {
    const { entryId } = await acts.reverseRefundedEntry({ refundId: input.refundId, userId: input.userId, transactionId: input.transactionId, by: d.adminId });
    if (input.gateway) {
      try {
        const viaGateway = await acts.refundThroughGateway({
          refundId: input.refundId,
          gateway: input.gateway.name,
          gatewayRef: input.gateway.gatewayRef,
          gatewayTxnId: input.gateway.gatewayTxnId,
          amountMinor: input.amountMinor,
        });
        manualPayout = viaGateway === null; // no refund API (eSewa): finance pays it back by hand
      } catch (err) {
        await acts.undoReversal({ refundId: input.refundId, reversalEntryId: entryId, userId: input.userId });
        throw err;
      }
    }
    await acts.finishRefund({ refundId: input.refundId, status: 'completed' });
    out.state = 'completed';
  } catch (err) {
    out.reason = failureMessage(err);
    await acts.finishRefund({ refundId: input.refundId, status: 'failed', reason: out.reason });
    out.state = 'failed';
  }
  return { manualPayout };
}

/** The customer's notice of how the refund ended. */
async function tellCustomer(input: RefundInput, out: Outcome, manualPayout: boolean): Promise<void> {
  const amount = moneyText(input.amountMinor, amountCurrency(input), formatMinor);
  const titles: Record<RefundState, string> = { pending: '', completed: 'Refund completed', rejected: 'Refund rejected', failed: 'Refund failed' };
  await acts.notifyMoneyEvent({
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

/** `refund:<id>`: waits for an admin's decision (signals); approved → ledger reversal, gateway refund where possible, notice. */
export const refundWorkflow: RefundWorkflow = async function refundWorkflow(input) {
  const out: Outcome = { state: 'pending' };
  const holder = awaitDecision(out);
  const decided = await condition(() => holder.decision !== undefined, input.decisionTimeoutMs);
  if (!decided) holder.decision = { approve: false, adminId: 'system', reason: 'no decision in time' };
  const d = holder.decision!;
  setBusinessStatusPatched(d.approve ? 'approved' : 'rejected');
  let manualPayout = false;
  if (!d.approve) {
    await acts.recordRefundDecision({ refundId: input.refundId, status: 'rejected', by: d.adminId, reason: d.reason });
    Object.assign(out, { state: 'rejected', reason: d.reason });
  } else {
    ({ manualPayout } = await carryOut(input, d, out));
  }
  setBusinessStatusPatched(out.state);
  await tellCustomer(input, out, manualPayout);
  await condition(allHandlersFinished);
  return out;
};
