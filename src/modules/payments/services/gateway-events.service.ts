import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { gatewayClearing, LedgerService, userWallet } from '../../ledger';
import type { VerifiedNotification } from '../gateways/gateway';
import {
  gatewayRefundSettledSignal,
  refundCompensationWorkflowId,
  refundWorkflowId,
  type RefundCompensationInput,
  type RefundCompensationWorkflow,
} from '../workflows/definitions';
import { recordReview } from './payment-reviews';

type Intent = { id: string; user_id: string; currency: string; gateway: string };

/**
 * Money events a gateway reports about payments that are already settled: the outcome of our own
 * refunds (to the refund's workflow, or its compensation when it failed after completing), and
 * what was done in the gateway's dashboard (a refund, a dispute), which the ledger follows: the
 * wallet is debited (below zero = a due the next top-up fills) and admins see it in the reviews.
 */
export class GatewayEventsService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; taskQueue: string }) {}

  async handle(gateway: string, v: VerifiedNotification, intent: Intent): Promise<void> {
    if (v.kind === 'dispute' && v.dispute) return this.takeBack(intent, 'dispute', v.dispute.disputeId, v.dispute.amountMinor, `dispute (${v.dispute.reason})`);
    if (v.kind !== 'refund' || !v.refund) return;
    if (!v.refund.reference) {
      if (v.gatewayEvent === 'refund.created')
        await this.takeBack(intent, 'dashboard_refund', v.refund.refundId, v.refund.amountMinor, `refunded in the ${gateway} dashboard`);
      return;
    }
    await this.ourRefund(gateway, v.refund.reference, v.refund.refundId, v.refund.status);
  }

  /** Our refund's outcome: a hint to its waiting workflow; a failure after it completed starts its compensation, once. */
  private async ourRefund(gateway: string, refundId: string, gatewayRefundId: string, status: 'pending' | 'succeeded' | 'failed') {
    try {
      await this.deps.temporal.workflow.getHandle(refundWorkflowId(refundId)).signal(gatewayRefundSettledSignal, { gatewayRefundId, status });
      return;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (status !== 'failed') return;
    const [row] = await this.deps.orm.em.getConnection().execute(`select * from refund_requests where id = ? and status = 'completed'`, [refundId]);
    if (!row) return;
    const input: RefundCompensationInput = {
      refundId,
      userId: String(row.user_id),
      amountMinor: Number(row.amount_minor),
      currency: String(row.currency),
      gateway,
      gatewayRefundId,
    };
    await this.deps.temporal.workflow
      .start<RefundCompensationWorkflow>('refundCompensationWorkflow', {
        workflowId: refundCompensationWorkflowId(refundId),
        taskQueue: this.deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      })
      .catch((err) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  }

  /** Money the gateway gave back to the payer outside our flows: out of the wallet (a due if spent), once per gateway object. */
  private async takeBack(intent: Intent, kind: 'dispute' | 'dashboard_refund', externalId: string, amountMinor: number, why: string) {
    const entry = await new LedgerService(this.deps.orm).post({
      key: `gateway-${kind}:${intent.gateway}:${externalId}`,
      type: 'refund',
      userId: intent.user_id,
      description: `Top-up ${why}`,
      metadata: { intent_id: intent.id, gateway: intent.gateway, external_id: externalId, kind },
      postings: [
        { account: userWallet(intent.user_id, intent.currency), amountMinor: -amountMinor, allowNegative: true },
        { account: gatewayClearing(intent.gateway, intent.currency), amountMinor },
      ],
    });
    await recordReview(this.deps.orm, {
      kind,
      gateway: intent.gateway,
      externalId,
      intentId: intent.id,
      userId: intent.user_id,
      amountMinor,
      currency: intent.currency,
      entryId: entry.id,
      note: why,
    });
  }
}
