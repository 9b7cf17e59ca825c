import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { inTransaction, type Execute } from '../../../kernel/sql';
import type { BroadcastProgress } from '../workflows/definitions';

/** Who a broadcast reaches: a segment of users. */
export interface BroadcastSegment {
  registered_from?: string;
  registered_to?: string;
}

/** The next `limit` recipients after `after` in id order (identity's users, wired by src/workers). */
export type BroadcastAudience = (tx: Execute, after: string | null, limit: number, segment: BroadcastSegment) => Promise<string[]>;

export interface BroadcastActivityDeps {
  orm: MikroORM;
  broadcastAudience: BroadcastAudience;
}

export function createBroadcastActivities({ orm, broadcastAudience }: BroadcastActivityDeps) {
  return {
    /** One batch, in one transaction under the broadcast's row lock: the row's cursor says where to go on. */
    async deliverBroadcastBatch(input: { broadcastId: string; batchSize: number }): Promise<BroadcastProgress> {
      return inTransaction(orm, async (tx) => {
        const [b] = await tx(`select * from broadcasts where id = ? for update`, [input.broadcastId]);
        if (!b) throw ApplicationFailure.nonRetryable(`no broadcast ${input.broadcastId}`, 'BroadcastNotFound');
        const state = (done: boolean, delivered: number, batches: number, cursor: string | null): BroadcastProgress => ({
          broadcastId: input.broadcastId,
          delivered,
          batches,
          cursor,
          done,
        });
        if (b.status === 'completed') return state(true, b.delivered, b.batches, b.cursor);
        const users = await broadcastAudience(tx, b.cursor ?? null, input.batchSize, b.segment ?? {});
        let inserted = 0;
        if (users.length) {
          const rows = await tx(
            `insert into notifications (id, user_id, type, title, body, data, in_app, push, dedupe_key)
             select gen_random_uuid(), u, 'broadcast', ?, ?, ?::jsonb, true, false, 'broadcast:' || ? || ':' || u
             from unnest(?::uuid[]) as u on conflict (dedupe_key) do nothing returning id`,
            [b.title, b.body, JSON.stringify({ broadcast_id: b.id }), b.id, `{${users.join(',')}}`],
          );
          inserted = rows.length;
        }
        const done = users.length < input.batchSize;
        const cursor = users.at(-1) ?? b.cursor ?? null;
        await tx(
          `update broadcasts set cursor = ?, delivered = delivered + ?, batches = batches + 1, status = ?, completed_at = case when ? then now() else null end where id = ?`,
          [cursor, inserted, done ? 'completed' : 'running', done, b.id],
        );
        return state(done, b.delivered + inserted, b.batches + 1, cursor);
      });
    },
  };
}
export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
