import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Errors } from '../../../kernel/errors';
import { isoOrNull } from '../../../kernel/present';
import type { AttentionRequest } from '../../../kernel/temporal/attention';
import { sendAttention, type AttentionOutcome, type AttentionSource, type ParkedRun } from '../../../kernel/temporal/attention-desk';
import { executor } from '../../../kernel/sql';
import { dispenseOtpWorkflowId, waterPaymentWorkflowId } from '../rules/references';
import type { WaterRunKind } from '../workflows/definitions';

const KINDS: readonly WaterRunKind[] = ['water_payment', 'water_otp'];
const WORKFLOW_ID: Record<WaterRunKind, (ref: string) => string> = { water_payment: waterPaymentWorkflowId, water_otp: dispenseOtpWorkflowId };

/**
 * The water runs parked as `needs_attention` (a gateway unreachable past its retries), for the
 * admin desk (`GET /api/admin/attention`, `POST /api/admin/attention/{kind}/{transactionReference}`).
 */
export function waterAttention(deps: { orm: MikroORM; temporal: Client }): AttentionSource {
  const q = executor(deps.orm);
  return {
    kinds: KINDS,
    async list(): Promise<ParkedRun[]> {
      const rows = await q(
        `select transaction_reference, attention_kind, attention_reason, attention_step, attention_at from water_transactions where attention_at is not null order by attention_at, transaction_reference`,
      );
      return rows.map((r: Record<string, unknown>) => ({
        kind: String(r.attention_kind),
        id: String(r.transaction_reference),
        workflow_id: WORKFLOW_ID[r.attention_kind as WaterRunKind](String(r.transaction_reference)),
        reason: String(r.attention_reason ?? ''),
        step: String(r.attention_step ?? ''),
        since: isoOrNull(r.attention_at),
      }));
    },
    async act(kind: string, id: string, request: AttentionRequest): Promise<AttentionOutcome> {
      if (!KINDS.includes(kind as WaterRunKind)) throw Errors.notFound('Parked run');
      const outcome = await sendAttention(deps.temporal, WORKFLOW_ID[kind as WaterRunKind](id), request);
      if (outcome === 'gone') throw Errors.notFound('Parked run');
      return outcome;
    },
  };
}
