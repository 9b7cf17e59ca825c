import type { MikroORM } from '@mikro-orm/postgresql';
import { isoOrNull } from '../../../kernel/present';
import { formatMinor, toInt } from '../../../kernel/money';
import type { ReviewKind } from '../entities/payment-review.entity';

export interface NewReview {
  kind: ReviewKind;
  gateway: string;
  externalId: string;
  intentId?: string | null;
  refundId?: string | null;
  userId?: string | null;
  amountMinor: number;
  currency: string;
  entryId?: string | null;
  note?: string | null;
}

/** Records a gateway event for admins, once per (kind, gateway's id). */
export async function recordReview(orm: MikroORM, r: NewReview): Promise<void> {
  await orm.em.getConnection().execute(
    `insert into payment_reviews (kind, gateway, external_id, intent_id, refund_id, user_id, amount_minor, currency, entry_id, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (kind, external_id) do nothing`,
    [r.kind, r.gateway, r.externalId, r.intentId ?? null, r.refundId ?? null, r.userId ?? null, r.amountMinor, r.currency, r.entryId ?? null, r.note ?? null],
  );
}

/** What admins read of the reviews: newest first, open ones unless asked for all. */
export async function listReviews(orm: MikroORM, opts: { open?: boolean; limit?: number } = {}) {
  const rows = await orm.em
    .getConnection()
    .execute(`select * from payment_reviews ${opts.open === false ? '' : 'where resolved_at is null'} order by created_at desc limit ?`, [opts.limit ?? 100]);
  return rows.map((r: Record<string, unknown>) => ({
    id: String(r.id),
    kind: String(r.kind),
    gateway: String(r.gateway),
    external_id: String(r.external_id),
    intent_id: (r.intent_id as string) ?? null,
    refund_id: (r.refund_id as string) ?? null,
    user_id: (r.user_id as string) ?? null,
    amount: formatMinor(toInt(r.amount_minor), String(r.currency)),
    amount_minor: toInt(r.amount_minor),
    currency: String(r.currency),
    entry_id: (r.entry_id as string) ?? null,
    note: (r.note as string) ?? null,
    created_at: isoOrNull(r.created_at),
    resolved_at: isoOrNull(r.resolved_at),
  }));
}
