import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LedgerService, pointsKeys } from '../../ledger';
import type { GatewayRegistry } from '../services/gateways';
import { gatewayOf } from './payment.activities';

export interface RefundActivityDeps {
  orm: MikroORM;
  gateways?: GatewayRegistry;
}

/** A refunded top-up takes back its top-up points while the user still has them. */
async function clawBackTopupPoints(ledger: LedgerService, input: { refundId: string; userId: string; transactionId: string; by: string }) {
  const refunded = await ledger.findById(input.transactionId);
  const intentId = refunded?.type === 'topup' ? refunded.metadata?.intent_id : undefined;
  const award = typeof intentId === 'string' ? await ledger.findByKey(pointsKeys.topup(intentId)) : null;
  if (!award) return;
  try {
    await ledger.reverse(award.id, {
      key: `refund-points:${input.refundId}`,
      type: 'refund',
      userId: input.userId,
      createdBy: input.by,
      description: 'Top-up points returned with a refund',
      metadata: { refund_id: input.refundId },
    });
  } catch (err) {
    if ((err as { code?: string }).code !== 'INSUFFICIENT_BALANCE') throw err; // points already spent: the refund still goes ahead
  }
}

/** The ledger side of a refund: the reversal of the refunded entry, and its undo. */
function refundLedgerActivities(orm: MikroORM) {
  const ledger = new LedgerService(orm);
  const conn = () => orm.em.getConnection();
  return {
    /** Posts the exact reversal of the refunded entry (`refund:<refundId>`), once. */
    async reverseRefundedEntry(input: { refundId: string; userId: string; transactionId: string; by: string }): Promise<{ entryId: string }> {
      try {
        const entry = await ledger.reverse(input.transactionId, {
          key: `refund:${input.refundId}`,
          type: 'refund',
          userId: input.userId,
          createdBy: input.by,
          description: 'Refund',
          metadata: { refund_id: input.refundId, transaction_id: input.transactionId },
        });
        await conn().execute(`update refund_requests set reversal_entry_id = ? where id = ?`, [entry.id, input.refundId]);
        await clawBackTopupPoints(ledger, input);
        return { entryId: entry.id };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'INSUFFICIENT_BALANCE') throw ApplicationFailure.nonRetryable('the wallet no longer holds the refunded amount', 'InsufficientBalance');
        if (code === '23505') throw ApplicationFailure.nonRetryable('this transaction was already reversed', 'AlreadyReversed');
        throw err;
      }
    },

    /** Puts the money back when the gateway refused to refund (`refund-undo:<refundId>`). */
    async undoReversal(input: { refundId: string; reversalEntryId: string; userId: string }): Promise<void> {
      await ledger.reverse(input.reversalEntryId, {
        key: `refund-undo:${input.refundId}`,
        type: 'refund',
        userId: input.userId,
        description: 'Refund undone: gateway refused',
        metadata: { refund_id: input.refundId },
      });
    },
  };
}

/** The refund's record and its gateway call. */
function refundRecordActivities({ orm, gateways }: RefundActivityDeps) {
  const conn = () => orm.em.getConnection();
  return {
    async recordRefundDecision(input: { refundId: string; status: 'approved' | 'rejected'; by: string; reason?: string | null }): Promise<void> {
      await conn().execute(
        `update refund_requests set status = ?, decided_by = ?, decision_reason = ?, decided_at = coalesce(decided_at, now()) where id = ? and status = 'pending'`,
        [input.status, input.by, input.reason ?? null, input.refundId],
      );
    },

    /**
     * Refunds through the gateway where it has a refund API (Stripe, Khalti). Where it has none
     * (eSewa) the refund is queued for a manual payout by finance (`payout_status = pending`) and null returned.
     */
    async refundThroughGateway(input: {
      refundId: string;
      gateway: string;
      gatewayRef: string;
      gatewayTxnId?: string | null;
      amountMinor: number;
    }): Promise<{ refundId: string; status: string } | null> {
      const adapter = gatewayOf(gateways, input.gateway);
      if (!adapter.refund) {
        await conn().execute(`update refund_requests set payout_status = 'pending' where id = ? and payout_status is null`, [input.refundId]);
        return null;
      }
      const r = await adapter.refund({
        gatewayRef: input.gatewayRef,
        gatewayTxnId: input.gatewayTxnId,
        amountMinor: input.amountMinor,
        idempotencyKey: `refund:${input.refundId}`,
      });
      if (r.status === 'failed') throw ApplicationFailure.nonRetryable(`${input.gateway} refused the refund`, 'GatewayRefundFailed');
      await conn().execute(`update refund_requests set gateway_refund_id = ? where id = ?`, [r.refundId, input.refundId]);
      return r;
    },

    async finishRefund(input: { refundId: string; status: 'completed' | 'failed'; reason?: string | null }): Promise<void> {
      await conn().execute(
        `update refund_requests set status = ?, failure_reason = ?, completed_at = coalesce(completed_at, now()) where id = ? and status in ('approved', 'pending')`,
        [input.status, input.reason ?? null, input.refundId],
      );
    },
  };
}

/** Side effects of a refund; each keyed by the refund id (row update, ledger key, gateway idempotency key). */
export function createRefundActivities(deps: RefundActivityDeps) {
  return { ...refundRecordActivities(deps), ...refundLedgerActivities(deps.orm) };
}

export type RefundActivities = ReturnType<typeof createRefundActivities>;
