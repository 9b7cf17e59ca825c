import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { formatMinor, toInt } from '../../../kernel/money';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import { decideRefundUpdate, type RefundInput, refundWorkflowId, type RefundWorkflow } from '../workflows/definitions';
import { isoOrNull } from '../../../kernel/present';
import { offsetOf, pageArgs, pageOf } from '../../../kernel/paging';
import { LedgerService, walletEntry } from '../../ledger';

export { refundWorkflowId };
const DECISION_TIMEOUT_MS = 30 * 24 * 3600_000;
/** A pending row without a run this much after it was written is stranded (its start failed). */
const STRANDED_AFTER_MS = 5_000;

export function presentRefund(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    transaction_id: String(r.transaction_id),
    user_id: String(r.user_id),
    status: String(r.status),
    amount: formatMinor(toInt(r.amount_minor)),
    amount_minor: toInt(r.amount_minor),
    currency: r.currency,
    reason: r.reason ?? null,
    gateway: r.gateway ?? null,
    gateway_refund_id: r.gateway_refund_id ?? null,
    decided_by: r.decided_by ?? null,
    decision_reason: r.decision_reason ?? null,
    failure_reason: r.failure_reason ?? null,
    created_at: isoOrNull(r.created_at),
    decided_at: isoOrNull(r.decided_at),
    completed_at: isoOrNull(r.completed_at),
    payout: r.payout_status
      ? {
          method: 'manual' as const,
          status: String(r.payout_status),
          reference: (r.payout_reference as string) ?? null,
          note: (r.payout_note as string) ?? null,
          paid_at: isoOrNull(r.paid_out_at),
          paid_by: (r.payout_by as string) ?? null,
        }
      : null,
  };
}

/** Refund requests: each is a `refund:<id>` workflow waiting for an admin's approve/reject signal. */
export class RefundService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config }) {}

  private conn() {
    return this.deps.orm.em.getConnection();
  }

  /** The refundable journal entry behind a transaction id (an entry id, or a top-up intent id). */
  private async refundable(userId: string, transactionId: string) {
    const [intent] = await this.conn().execute(`select journal_entry_id from payment_intents where id = ? and user_id = ?`, [transactionId, userId]);
    const entry = await walletEntry(this.deps.orm, userId, [transactionId, ...(intent?.journal_entry_id ? [String(intent.journal_entry_id)] : [])]);
    if (!entry) throw Errors.notFound('Transaction');
    if (entry.type === 'refund' || entry.reverses_entry_id) throw new AppError('NOT_REFUNDABLE', 'A refund cannot itself be refunded', 400);
    if (entry.reversed) throw Errors.conflict('ALREADY_REFUNDED', 'This transaction was already refunded');
    return entry;
  }

  /** The gateway a refunded top-up goes back through (null for anything else: the money goes back to the wallet). */
  private async gatewayOf(entry: { type?: unknown; metadata?: unknown }): Promise<RefundInput['gateway']> {
    const intentId = (entry.metadata as { intent_id?: unknown } | null)?.intent_id;
    if (entry.type !== 'topup' || !intentId) return null;
    const [intent] = await this.conn().execute(`select gateway, gateway_ref, gateway_txn_id from payment_intents where id = ?`, [intentId]);
    return intent?.gateway_ref ? { name: intent.gateway, gatewayRef: intent.gateway_ref, gatewayTxnId: intent.gateway_txn_id } : null;
  }

  /** The workflow's input, rebuilt from the row alone: whoever starts the run (request, retry, decision) starts the same one. */
  private async inputOf(row: Record<string, unknown>): Promise<RefundInput> {
    const entry = await new LedgerService(this.deps.orm).findById(String(row.transaction_id));
    return {
      refundId: String(row.id),
      userId: String(row.user_id),
      transactionId: String(row.transaction_id),
      amountMinor: toInt(row.amount_minor),
      currency: String(row.currency),
      gateway: entry ? await this.gatewayOf(entry) : null,
      decisionTimeoutMs: DECISION_TIMEOUT_MS,
    };
  }

  /** The start options of a refund's run: USE_EXISTING converges concurrent or repeated starts on one run; a closed run is never started again. */
  private startOptions(input: RefundInput) {
    return {
      workflowId: refundWorkflowId(input.refundId),
      taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE,
      args: [input] as [RefundInput],
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      typedSearchAttributes: startAttributes({ userId: input.userId, status: 'awaiting_decision' }),
    };
  }

  /**
   * A refund request: the row, then its `refund:<id>` run. Writing the row and starting the run
   * are atomic in effect: if the start fails after the row was written (Temporal away), the
   * customer's retry finds the pending row without a run and starts it (USE_EXISTING), instead of
   * a 409 forever; an admin's decision starts it too (update-with-start, ./decide).
   */
  async request(userId: string, transactionId: string, reason?: string) {
    const entry = await this.refundable(userId, transactionId);
    const gateway = await this.gatewayOf(entry);
    const id = randomUUID();
    const inserted = await this.conn().execute(
      `insert into refund_requests (id, user_id, transaction_id, amount_minor, currency, reason, gateway) values (?, ?, ?, ?, ?, ?, ?)
       on conflict do nothing returning *`,
      [id, userId, entry.id, Math.abs(toInt(entry.wallet_delta)), entry.currency, reason ?? null, gateway?.name ?? null],
    );
    if (!inserted.length) return this.resumeStranded(entry.id);
    await this.deps.temporal.workflow.start<RefundWorkflow>('refundWorkflow', this.startOptions(await this.inputOf(inserted[0])));
    return this.get(id);
  }

  /**
   * A pending refund of this entry whose run never started (its start failed): started now, and
   * returned. Otherwise 409. A row younger than a few seconds is another request's, still starting
   * its run (concurrent taps): that is a duplicate, not a stranded row.
   */
  private async resumeStranded(entryId: string) {
    const [row] = await this.conn().execute(
      `select * from refund_requests where transaction_id = ? and status = 'pending' and created_at < now() - (? * interval '1 millisecond')`,
      [entryId, STRANDED_AFTER_MS],
    );
    if (row) {
      try {
        await this.deps.temporal.workflow.getHandle(refundWorkflowId(String(row.id))).describe();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        await this.deps.temporal.workflow.start<RefundWorkflow>('refundWorkflow', this.startOptions(await this.inputOf(row)));
        return this.get(String(row.id));
      }
    }
    throw Errors.conflict('REFUND_ALREADY_REQUESTED', 'A refund for this transaction is already pending or done');
  }

  async get(id: string) {
    const [row] = await this.conn().execute(`select * from refund_requests where id = ?`, [id]);
    if (!row) throw Errors.notFound('Refund request');
    return presentRefund(row);
  }

  async list(filter: { userId?: string; status?: string; payoutStatus?: 'pending' | 'paid'; page: number; pageSize: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.userId) {
      where.push('user_id = ?');
      params.push(filter.userId);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.payoutStatus) {
      where.push('payout_status = ?');
      params.push(filter.payoutStatus);
    }
    const w = where.length ? `where ${where.join(' and ')}` : '';
    const [{ n }] = await this.conn().execute(`select count(*) n from refund_requests ${w}`, params);
    const rows = await this.conn().execute(`select * from refund_requests ${w} order by created_at ${filter.userId ? 'desc' : 'asc'}, id limit ? offset ?`, [
      ...params,
      filter.pageSize,
      offsetOf(pageArgs(filter)),
    ]);
    return pageOf(rows.map(presentRefund), toInt(n), pageArgs(filter));
  }

  /**
   * Admin decision: an update to the refund's workflow, where the first decision wins; a caller
   * whose decision lost (another admin decided a moment earlier) gets 409. Answers once the
   * workflow has acted on the decision.
   */
  async decide(id: string, adminId: string, decision: { approve: true } | { approve: false; reason: string }) {
    const current = await this.get(id);
    if (current.status !== 'pending') throw Errors.conflict('REFUND_NOT_PENDING', `This refund is already ${current.status}`);
    if (decision.approve && current.user_id === adminId) throw new AppError('SELF_ACTION_FORBIDDEN', 'An admin cannot approve their own refund', 403);
    const handle = this.deps.temporal.workflow.getHandle(refundWorkflowId(id));
    let outcome: { accepted: boolean; decision: { approve: boolean; adminId: string } };
    try {
      const [row] = await this.conn().execute(`select * from refund_requests where id = ?`, [id]);
      // Update-with-start: a pending refund whose run never started (its start failed) is started by its decision.
      outcome = await this.deps.temporal.workflow.executeUpdateWithStart(decideRefundUpdate, {
        args: [decision.approve ? { approve: true, adminId } : { approve: false, adminId, reason: decision.reason }],
        startWorkflowOperation: new WithStartWorkflowOperation<RefundWorkflow>('refundWorkflow', this.startOptions(await this.inputOf(row))),
      });
    } catch (err) {
      // The workflow closed between the read above and the update (decided and finished, or lapsed).
      const now = await this.get(id);
      if (now.status !== 'pending') throw Errors.conflict('REFUND_NOT_PENDING', `This refund is already ${now.status}`);
      throw err;
    }
    if (!outcome.accepted) {
      throw new AppError('REFUND_NOT_PENDING', `Another decision was taken first: ${outcome.decision.approve ? 'approved' : 'rejected'}`, 409, {
        decided_by: outcome.decision.adminId,
        approved: outcome.decision.approve,
      });
    }
    // However the run ends (an operator may cancel it), the answer is the row.
    await Promise.race([handle.result().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    return this.get(id);
  }
}
