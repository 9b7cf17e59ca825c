import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { gatewayClearing, LedgerService, pointsKeys, systemAccount } from '../../ledger';
import type { GatewayRegistry } from '../services/gateways';
import { gatewayOf } from './gateway.activities';
import { atGateway } from './gateway-errors';
import { refundKeys } from '../rules/refund-keys';
import { recordReview } from '../services/payment-reviews';

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
      key: refundKeys.points(input.refundId),
      type: 'refund',
      userId: input.userId,
      createdBy: input.by,
      description: 'Top-up points returned with a refund',
      metadata: { refund_id: input.refundId },
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'INSUFFICIENT_BALANCE' && code !== '23505') throw err; // points already spent or already taken back: the refund still goes ahead
  }
}

/** Reverses the entry under `key` once (`undoKey`), if it was posted: the undo of one step of a refund. */
async function voidEntry(ledger: LedgerService, key: string, undoKey: string, input: { refundId: string; userId: string; why: string }) {
  const entry = await ledger.findByKey(key);
  if (!entry) return;
  await ledger.reverse(entry.id, { key: undoKey, type: 'refund', userId: input.userId, description: input.why, metadata: { refund_id: input.refundId } });
}

/** The ledger side of a refund: the reversal of the refunded entry, and its undo. */
function refundLedgerActivities(orm: MikroORM) {
  const ledger = new LedgerService(orm);
  const conn = () => orm.em.getConnection();
  return {
    /** Posts the exact reversal of the refunded entry (`refund:<refundId>`), once, and takes back its top-up points. */
    async reverseRefundedEntry(input: { refundId: string; userId: string; transactionId: string; by: string }): Promise<{ entryId: string }> {
      try {
        const entry = await ledger.reverse(input.transactionId, {
          key: refundKeys.reversal(input.refundId),
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

    /** Puts the money back when the gateway refused to refund (`refund-undo:<refundId>`); runs started before undoRefund. */
    async undoReversal(input: { refundId: string; reversalEntryId: string; userId: string }): Promise<void> {
      await ledger.reverse(input.reversalEntryId, {
        key: refundKeys.undo(input.refundId),
        type: 'refund',
        userId: input.userId,
        description: 'Refund undone: gateway refused',
        metadata: { refund_id: input.refundId },
      });
    },

    /**
     * Undoes everything the refund did, each step once: the wallet reversal and the points taken
     * back are themselves reversed, which voids them, so the entry counts as not refunded again
     * and can be requested again (docs/ARCHITECTURE.md, Money conventions). Append-only.
     */
    async undoRefund(input: { refundId: string; userId: string; why: string }): Promise<void> {
      await voidEntry(ledger, refundKeys.reversal(input.refundId), refundKeys.undo(input.refundId), input);
      await voidEntry(ledger, refundKeys.points(input.refundId), refundKeys.pointsUndo(input.refundId), input);
      await voidEntry(ledger, refundKeys.payoutDue(input.refundId), refundKeys.payoutDueUndo(input.refundId), input);
    },

    /**
     * A refund finance pays back by hand (no refund API): the money is still at the gateway and now
     * owed to the customer, so it moves from the gateway's clearing account to refunds payable until
     * the payout is recorded (`payout-due:<refundId>`).
     */
    async recordManualPayoutDue(input: { refundId: string; userId: string; gateway: string; currency: string; amountMinor: number }): Promise<void> {
      await ledger.post({
        key: refundKeys.payoutDue(input.refundId),
        type: 'refund',
        userId: input.userId,
        description: `Refund to pay back by hand through ${input.gateway}`,
        metadata: { refund_id: input.refundId, gateway: input.gateway },
        postings: [
          { account: gatewayClearing(input.gateway, input.currency), amountMinor: -input.amountMinor },
          { account: systemAccount('refunds', input.currency), amountMinor: input.amountMinor },
        ],
      });
      await conn().execute(`update refund_requests set payout_status = 'pending' where id = ? and payout_status is null`, [input.refundId]);
    },
  };
}

/** The refund's record and its gateway call (the one runs started before the gateway queue use). */
function refundRecordActivities({ orm, gateways }: RefundActivityDeps) {
  const conn = () => orm.em.getConnection();
  return {
    async recordRefundDecision(input: { refundId: string; status: 'approved' | 'rejected'; by: string; reason?: string | null }): Promise<void> {
      await conn().execute(
        `update refund_requests set status = ?, decided_by = ?, decision_reason = ?, decided_at = coalesce(decided_at, now()) where id = ? and status = 'pending'`,
        [input.status, input.by, input.reason ?? null, input.refundId],
      );
    },

    /** Runs started before the gateway queue: refunds through the API where there is one, else queues a manual payout. */
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
      const r = await atGateway(() =>
        adapter.refund!({
          gatewayRef: input.gatewayRef,
          gatewayTxnId: input.gatewayTxnId,
          amountMinor: input.amountMinor,
          idempotencyKey: `refund:${input.refundId}`,
        }),
      );
      if (r.status === 'failed') throw ApplicationFailure.nonRetryable(`${input.gateway} refused the refund`, 'GatewayRefundFailed');
      await conn().execute(`update refund_requests set gateway_refund_id = ? where id = ?`, [r.refundId, input.refundId]);
      return r;
    },

    async finishRefund(input: {
      refundId: string;
      status: 'completed' | 'failed';
      reason?: string | null;
      gatewayRefundStatus?: string | null;
    }): Promise<void> {
      await conn().execute(
        `update refund_requests set status = ?, failure_reason = ?, gateway_refund_status = coalesce(?, gateway_refund_status),
           completed_at = coalesce(completed_at, now()) where id = ? and status in ('approved', 'pending')`,
        [input.status, input.reason ?? null, input.gatewayRefundStatus ?? null, input.refundId],
      );
    },
  };
}

/** What the gateway said of the refund: its id and status, and a failure after it had completed. */
function refundGatewayRecordActivities(orm: MikroORM) {
  const conn = () => orm.em.getConnection();
  return {
    /** The gateway refund's id and status as the gateway gave them. */
    async recordGatewayRefund(input: { refundId: string; gatewayRefundId: string; status: string }): Promise<void> {
      await conn().execute(`update refund_requests set gateway_refund_id = coalesce(gateway_refund_id, ?), gateway_refund_status = ? where id = ?`, [
        input.gatewayRefundId,
        input.status,
        input.refundId,
      ]);
    },

    /** A refund the gateway failed after it had completed: failed now, and listed for admins (`payment_reviews`). */
    async refundFailedLate(input: {
      refundId: string;
      userId: string;
      amountMinor: number;
      currency: string;
      gateway: string;
      gatewayRefundId: string;
      reason: string;
    }) {
      await conn().execute(
        `update refund_requests set status = 'failed', failure_reason = ?, gateway_refund_status = 'failed' where id = ? and status in ('completed', 'approved')`,
        [input.reason.slice(0, 255), input.refundId],
      );
      const { refundId, userId, amountMinor, currency, gateway } = input;
      await recordReview(orm, {
        kind: 'gateway_refund_failed',
        gateway,
        externalId: input.gatewayRefundId,
        refundId,
        userId,
        amountMinor,
        currency,
        note: input.reason,
      });
    },
  };
}

/** Side effects of a refund; each keyed by the refund id (row update, ledger key, gateway idempotency key). */
export function createRefundActivities(deps: RefundActivityDeps) {
  return { ...refundRecordActivities(deps), ...refundGatewayRecordActivities(deps.orm), ...refundLedgerActivities(deps.orm) };
}

export type RefundActivities = ReturnType<typeof createRefundActivities>;
