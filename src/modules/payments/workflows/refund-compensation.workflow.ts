import { proxyActivities } from '@temporalio/workflow';
import { formatMinor } from '../../../kernel/money';
import type { PaymentActivities, RefundActivities } from '../activities/workflow-types';
import type { RefundCompensationWorkflow } from './definitions';

const db = proxyActivities<PaymentActivities & RefundActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * `refund-compensation:<refundId>`: a gateway refund that failed after the refund had completed
 * (Stripe sends `refund.failed` later, e.g. the card was closed): the money never reached the
 * customer, so everything the refund did is undone (wallet re-credited, points back, the entry
 * refundable again), the refund is marked failed, admins see it in the payment reviews, and the
 * customer is told. Each step is keyed, and the workflow id makes it happen once.
 */
export const refundCompensationWorkflow: RefundCompensationWorkflow = async function refundCompensationWorkflow(input) {
  const why = `${input.gateway} reported the refund ${input.gatewayRefundId} failed after it had succeeded`;
  await db.undoRefund({ refundId: input.refundId, userId: input.userId, why: `Refund undone: ${why}`.slice(0, 255) });
  await db.refundFailedLate({ ...input, reason: why });
  await db.notifyMoneyEvent({
    userId: input.userId,
    type: 'refund_status',
    dedupeKey: `refund-status:${input.refundId}:failed-late`,
    title: 'Refund failed',
    message: `Your refund of ${input.currency} ${formatMinor(input.amountMinor, input.currency)} could not be paid to your card; the amount is back in your wallet.`,
    data: { refund_id: input.refundId, status: 'failed', reason: why },
  });
};
