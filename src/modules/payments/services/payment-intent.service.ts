import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import type { Config } from '../../../config';
import { formatMinor, toInt } from '../../../kernel/money';
import { parseLimits } from '../rules/methods';
import { startAttributes } from '../../../kernel/temporal/search-attributes';
import {
  cancelSignal,
  sessionUpdate,
  verifyUpdate,
  type IntentSnapshot,
  type PaymentIntentInput,
  intentWorkflowId,
  type PaymentIntentWorkflow,
} from '../workflows/definitions';
import type { GatewayRegistry } from './gateways';
import { isoOrNull } from '../../../kernel/present';
import { executor } from '../../../kernel/sql';
import { userContact } from '../../identity';

export { intentWorkflowId };

/**
 * Maps an intent row to the API shape; `status` is the seed's pending/success/failed (an intent
 * parked for an admin, `needs_attention`, is not over for the customer: `pending`); `state` is the row's.
 */
export function presentIntent(row: Record<string, unknown>) {
  const state = String(row.status);
  return {
    intent_id: String(row.id),
    status: state === 'success' || state === 'pending' ? state : state === 'needs_attention' ? 'pending' : 'failed',
    state,
    gateway: row.gateway,
    amount: formatMinor(toInt(row.amount_minor)),
    amount_minor: toInt(row.amount_minor),
    currency: row.currency,
    payment_url: row.payment_url ?? null,
    gateway_ref: row.gateway_ref ?? null,
    gateway_data: row.session_extra ?? null,
    failure_reason: row.failure_reason ?? null,
    transaction_id: row.journal_entry_id ?? null,
    expires_at: new Date(row.expires_at as string).toISOString(),
    created_at: new Date(row.created_at as string).toISOString(),
    completed_at: isoOrNull(row.completed_at),
  };
}

/** Top-up intents: each one is a `payment-intent:<id>` workflow; the row is what the API reads. */
export class PaymentIntentService {
  /** `currency`: the product's wallet currency, the one its top-ups are in. */
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; config: Config; currency: string; gateways?: GatewayRegistry }) {}

  private conn() {
    return this.deps.orm.em.getConnection();
  }

  async row(intentId: string, userId?: string) {
    const [row] = await this.conn().execute(`select * from payment_intents where id = ?`, [intentId]);
    if (!row || (userId && row.user_id !== userId)) throw Errors.notFound('Payment intent');
    return row as Record<string, unknown>;
  }

  async createTopup(input: { userId: string; amountMinor: number; gateway: string; returnUrl: string }) {
    const { config } = this.deps;
    if (!config.PAYMENT_METHODS_ENABLED.includes(input.gateway)) throw new AppError('PAYMENT_METHOD_DISABLED', `${input.gateway} is not enabled`, 400);
    if (!this.deps.gateways?.[input.gateway as keyof GatewayRegistry])
      throw new AppError('PAYMENT_METHOD_UNAVAILABLE', `${input.gateway} is not configured`, 503);
    const limits = parseLimits(config.PAYMENT_LIMITS)[input.gateway];
    if (limits && (input.amountMinor < limits.minMinor || input.amountMinor > limits.maxMinor)) {
      throw Errors.validation(
        [{ field: 'body.amount', message: `must be between ${formatMinor(limits.minMinor)} and ${formatMinor(limits.maxMinor)} for ${input.gateway}` }],
        'Amount outside the payment method limits',
      );
    }
    if (!(await userContact(executor(this.deps.orm), input.userId))) throw Errors.notFound('User');
    const intentId = randomUUID();
    const ttlMs = config.PAYMENT_INTENT_TTL_MINUTES * 60_000;
    await this.conn().execute(
      `insert into payment_intents (id, user_id, gateway, amount_minor, currency, expires_at) values (?, ?, ?, ?, ?, now() + (? * interval '1 millisecond'))`,
      [intentId, input.userId, input.gateway, input.amountMinor, this.deps.currency, ttlMs],
    );
    const wf: PaymentIntentInput = {
      intentId,
      userId: input.userId,
      gateway: input.gateway,
      amountMinor: input.amountMinor,
      currency: this.deps.currency,
      returnUrl: input.returnUrl,
      ttlMs,
      pollMs: config.PAYMENT_POLL_SECONDS * 1000,
      sessionTimeoutMs: config.PAYMENT_SESSION_TIMEOUT_SECONDS * 1000,
    };
    const handle = await this.deps.temporal.workflow.start<PaymentIntentWorkflow>('paymentIntentWorkflow', {
      workflowId: intentWorkflowId(intentId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [wf],
      typedSearchAttributes: startAttributes({ userId: input.userId, status: 'pending' }),
    });
    // The answer waits for the gateway session; without a worker it gives up and the client polls status.
    const snap = await Promise.race([
      handle.executeUpdate(sessionUpdate),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000).unref()),
    ]);
    const row = await this.row(intentId);
    if (snap?.state === 'failed')
      throw new AppError('GATEWAY_ERROR', `Could not start the ${input.gateway} payment: ${snap.reason}`, 502, { intent_id: intentId });
    return presentIntent(row);
  }

  /**
   * A verified success for an intent whose workflow already ended (paid after expiry or cancel):
   * a new run of the same id looks the payment up at once and credits it (once, `topup:<id>`).
   */
  async reconcile(intentId: string) {
    const row = await this.row(intentId);
    if (row.status === 'success' || !row.gateway_ref) return;
    const wf: PaymentIntentInput = {
      intentId,
      userId: String(row.user_id),
      gateway: String(row.gateway),
      amountMinor: toInt(row.amount_minor),
      currency: String(row.currency),
      returnUrl: '',
      ttlMs: 0,
      pollMs: 1000,
    };
    await this.deps.temporal.workflow
      .start<PaymentIntentWorkflow>('paymentIntentWorkflow', {
        workflowId: intentWorkflowId(intentId),
        taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE,
        args: [wf],
        typedSearchAttributes: startAttributes({ userId: String(row.user_id), status: 'reconciling' }),
      })
      .catch((err) => {
        if (!/already (started|running)/i.test((err as Error).message)) throw err;
      });
  }

  async status(userId: string, intentId: string) {
    return presentIntent(await this.row(intentId, userId));
  }

  /** `verify-topup`: asks the workflow to look the payment up now; a finished intent answers from its row. */
  async verify(userId: string, intentId: string) {
    const row = await this.row(intentId, userId);
    if (row.status === 'pending') {
      try {
        await this.deps.temporal.workflow.getHandle(intentWorkflowId(intentId)).executeUpdate(verifyUpdate);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !/completed|closed/i.test((err as Error).message)) throw err;
      }
    }
    return presentIntent(await this.row(intentId, userId));
  }

  /** Cancels a pending intent (a signal); a paid one cannot be canceled. */
  async cancel(userId: string, intentId: string) {
    const row = await this.row(intentId, userId);
    if (row.status === 'success') throw Errors.conflict('PAYMENT_ALREADY_COMPLETED', 'This payment succeeded and cannot be canceled');
    if (row.status !== 'pending') throw Errors.conflict('PAYMENT_NOT_PENDING', `This payment is already ${row.status}`);
    const handle = this.deps.temporal.workflow.getHandle(intentWorkflowId(intentId));
    await handle.signal(cancelSignal, { by: userId });
    const snap = await Promise.race([
      handle.result() as Promise<IntentSnapshot>,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref()),
    ]);
    const after = await this.row(intentId, userId);
    if (snap?.state === 'success' || after.status === 'success')
      throw Errors.conflict('PAYMENT_ALREADY_COMPLETED', 'This payment succeeded before it could be canceled');
    return presentIntent(after);
  }
}
