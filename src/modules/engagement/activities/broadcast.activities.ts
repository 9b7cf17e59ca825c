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

/** Which of these users have a registered device (identity's device registry, wired by src/workers). */
export type BroadcastPushable = (tx: Execute, userIds: string[]) => Promise<string[]>;

export interface BroadcastActivityDeps {
  orm: MikroORM;
  broadcastAudience: BroadcastAudience;
  pushableUsers: BroadcastPushable;
}

/**
 * One notification per user of the batch (deduplicated per broadcast and user); for users with a
 * device also its push log, created `sending` so that it belongs to the broadcast's push step
 * (pushBroadcastBatch), not to the push sweeper (which takes `queued` logs).
 */
async function writeBatch(tx: Execute, b: Record<string, any>, users: string[], pushable: string[]) {
  const data = JSON.stringify({ broadcast_id: b.id });
  const [r] = await tx(
    `with n as (insert into notifications (id, user_id, type, title, body, data, in_app, push, dedupe_key)
                select gen_random_uuid(), u, 'broadcast', ?, ?, ?::jsonb, true, u = any(?::uuid[]), 'broadcast:' || ? || ':' || u
                from unnest(?::uuid[]) as u on conflict (dedupe_key) do nothing returning id, user_id, push),
          f as (insert into fcm_logs (id, notification_id, user_id, title, body, data, status)
                select gen_random_uuid(), n.id, n.user_id, ?, ?, ?::jsonb, 'sending' from n where n.push returning id)
     select (select count(*) from n) as inserted, (select count(*) from f) as pushes`,
    [b.title, b.body, data, `{${pushable.join(',')}}`, b.id, `{${users.join(',')}}`, b.title, b.body, data],
  );
  return { inserted: Number(r.inserted), pushes: Number(r.pushes) };
}

export function createBroadcastActivities({ orm, broadcastAudience, pushableUsers }: BroadcastActivityDeps) {
  return {
    /** One batch, in one transaction under the broadcast's row lock: the row's cursor says where to go on. */
    async deliverBroadcastBatch(input: { broadcastId: string; batchSize: number }): Promise<BroadcastProgress> {
      return inTransaction(orm, async (tx) => {
        const [b] = await tx(`select * from broadcasts where id = ? for update`, [input.broadcastId]);
        if (!b) throw ApplicationFailure.nonRetryable(`no broadcast ${input.broadcastId}`, 'BroadcastNotFound');
        const state = (done: boolean, delivered: number, batches: number, cursor: string | null, pushes = 0): BroadcastProgress => ({
          broadcastId: input.broadcastId,
          delivered,
          batches,
          cursor,
          done,
          pushes,
        });
        if (b.status === 'completed') return state(true, b.delivered, b.batches, b.cursor);
        const users = await broadcastAudience(tx, b.cursor ?? null, input.batchSize, b.segment ?? {});
        const { inserted, pushes } = users.length ? await writeBatch(tx, b, users, await pushableUsers(tx, users)) : { inserted: 0, pushes: 0 };
        const done = users.length < input.batchSize;
        const cursor = users.at(-1) ?? b.cursor ?? null;
        await tx(
          `update broadcasts set cursor = ?, delivered = delivered + ?, batches = batches + 1, status = ?, completed_at = case when ? then now() else null end where id = ?`,
          [cursor, inserted, done ? 'completed' : 'running', done, b.id],
        );
        return state(done, b.delivered + inserted, b.batches + 1, cursor, pushes);
      });
    },
  };
}
export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
