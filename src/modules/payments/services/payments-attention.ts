import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Errors } from '../../../kernel/errors';
import type { AttentionRequest } from '../../../kernel/temporal/attention';
import { sendAttention, type AttentionOutcome, type AttentionSource, type ParkedRun as DeskRun } from '../../../kernel/temporal/attention-desk';
import { isoOrNull } from '../../../kernel/present';
import type { PaymentRunKind } from '../activities/attention.activities';
import { intentWorkflowId, refundWorkflowId } from '../workflows/definitions';

export type { PaymentRunKind };
export const PAYMENT_RUN_KINDS: readonly PaymentRunKind[] = ['payment_intent', 'refund'];

/** A parked payments run, as the admin list shows it. */
export interface ParkedRun extends DeskRun {
  kind: PaymentRunKind;
}

const WORKFLOW_ID: Record<PaymentRunKind, (id: string) => string> = { payment_intent: intentWorkflowId, refund: refundWorkflowId };

/**
 * The payments module's runs parked as `needs_attention` (top-up intents and refunds), for the
 * admin API (`GET /api/admin/attention`, `POST /api/admin/attention/{kind}/{id}`): `list()` the
 * parked runs, oldest first; `act(kind, id, request)` sends the `attention` update (retry the
 * step or resolve it by hand) and answers once the run took it.
 */
export function paymentsAttention(deps: { orm: MikroORM; temporal: Client }): AttentionSource & { list(): Promise<ParkedRun[]> } {
  return {
    kinds: PAYMENT_RUN_KINDS,
    async list(): Promise<ParkedRun[]> {
      const rows = await deps.orm.em.getConnection().execute(
        `select 'payment_intent' kind, id, attention_reason, attention_step, attention_at from payment_intents where status = 'needs_attention'
         union all
         select 'refund' kind, id, attention_reason, attention_step, attention_at from refund_requests where status = 'needs_attention'
         order by attention_at, id`,
      );
      return rows.map((r: Record<string, unknown>) => ({
        kind: r.kind as PaymentRunKind,
        id: String(r.id),
        workflow_id: WORKFLOW_ID[r.kind as PaymentRunKind](String(r.id)),
        reason: String(r.attention_reason ?? ''),
        step: String(r.attention_step ?? ''),
        since: isoOrNull(r.attention_at),
      }));
    },

    async act(kind: string, id: string, request: AttentionRequest): Promise<AttentionOutcome> {
      if (!PAYMENT_RUN_KINDS.includes(kind as PaymentRunKind)) throw Errors.notFound('Parked run');
      const outcome = await sendAttention(deps.temporal, WORKFLOW_ID[kind as PaymentRunKind](id), request);
      if (outcome === 'gone') throw Errors.notFound('Parked run');
      return outcome;
    },
  };
}
