import type { MikroORM } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';
import { rentalStore } from '../services/rental-store';
import { resolveRentalByAdmin } from '../services/rental-attention';
import { recordRentalEvent } from '../services/timeline';

/** The rental row's side of `needs_attention` (src/kernel/temporal/attention.ts): parked, retried, resolved by hand. */
export function createRentalAttentionActivities({ orm }: { orm: MikroORM }) {
  const conn = () => orm.em.getConnection();
  const transaction = (fn: (q: Execute) => Promise<void>) => conn().transactional((trx) => fn((sql, params = []) => conn().execute(sql, params, 'run', trx)));
  return {
    async rentalNeedsAttention(input: { rentalId: string; reason: string; step: string; at: number }): Promise<void> {
      await transaction(async (q) => {
        await rentalStore.needsAttention(q, input.rentalId, input);
        const key = `needs-attention:${input.step}:${input.at}`;
        await recordRentalEvent(q, { rentalId: input.rentalId, type: 'needs_attention', key, at: input.at, data: { reason: input.reason, step: input.step } });
      });
    },

    async rentalAttentionCleared(input: { rentalId: string; by: string; at: number }): Promise<void> {
      await transaction(async (q) => {
        await rentalStore.attentionCleared(q, input.rentalId);
        await recordRentalEvent(q, {
          rentalId: input.rentalId,
          type: 'attention_retry',
          key: `attention-retry:${input.at}`,
          at: input.at,
          data: { by: input.by },
        });
      });
    },

    async rentalResolvedByAdmin(input: { rentalId: string; by: string; note?: string; at: number }): Promise<void> {
      await resolveRentalByAdmin(orm, input);
    },
  };
}
