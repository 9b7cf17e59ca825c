import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AppError, Errors } from '../../../kernel/errors';
import { isoOrNull } from '../../../kernel/present';
import type { Execute } from '../../../kernel/sql';
import type { AttentionRequest } from '../../../kernel/temporal/attention';
import { sendAttention, type AttentionSource, type ParkedRun } from '../../../kernel/temporal/attention-desk';
import { rentalWorkflowId } from '../workflows/definitions';
import { rentalStore } from './rental-store';
import { recordRentalEvent } from './timeline';

export const RENTAL_RUN_KINDS = ['rental'] as const;

const transaction = (orm: MikroORM, fn: (q: Execute) => Promise<void>) =>
  orm.em.getConnection().transactional((trx) => fn((sql, params = []) => orm.em.getConnection().execute(sql, params, 'run', trx)));

/** Closes a parked rental by hand: `resolved`, who and why on the row and its timeline. No money moves. */
export async function resolveRentalByAdmin(orm: MikroORM, input: { rentalId: string; by: string; note?: string; at: number }): Promise<void> {
  await transaction(orm, async (q) => {
    await rentalStore.resolvedByAdmin(q, input.rentalId, input);
    const data = { by: input.by, note: input.note ?? null };
    await recordRentalEvent(q, { rentalId: input.rentalId, type: 'resolved_by_admin', key: 'resolved-by-admin', at: input.at, data });
  });
}

/**
 * Rentals parked as `needs_attention`, for the admin desk: the list, and the decision sent to the
 * run. A parked row whose run is gone (terminated from the Temporal UI) can still be resolved;
 * there is nothing left to retry.
 */
export function rentalsAttention({ orm, temporal }: { orm: MikroORM; temporal: Client }): AttentionSource {
  const parked = async (id: string) =>
    (await orm.em.getConnection().execute(`select id from rentals where id = ? and status = 'needs_attention'`, [id])).length > 0;
  return {
    kinds: RENTAL_RUN_KINDS,
    async list(): Promise<ParkedRun[]> {
      const rows = await orm.em
        .getConnection()
        .execute(`select id, attention_reason, attention_step, attention_at from rentals where status = 'needs_attention' order by attention_at, id`);
      return rows.map((r: Record<string, unknown>) => ({
        kind: 'rental',
        id: String(r.id),
        workflow_id: rentalWorkflowId(String(r.id)),
        reason: String(r.attention_reason ?? ''),
        step: String(r.attention_step ?? ''),
        since: isoOrNull(r.attention_at),
      }));
    },
    async act(_kind: string, id: string, request: AttentionRequest) {
      const outcome = await sendAttention(temporal, rentalWorkflowId(id), request);
      if (outcome !== 'gone') return outcome;
      if (!(await parked(id))) throw Errors.notFound('Parked run');
      if (request.action === 'retry') throw new AppError('RUN_GONE', 'The workflow of this rental is gone: it can only be resolved', 409);
      await resolveRentalByAdmin(orm, { rentalId: id, by: request.by, note: request.note, at: Date.now() });
      return { accepted: true, action: 'resolve' };
    },
  };
}
