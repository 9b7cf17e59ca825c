import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * pending → approved → completed | failed, or pending → rejected; `needs_attention` while its
 * workflow is parked for an admin. Owned by the `refund:<id>` workflow.
 */
export const REFUND_STATUSES = ['pending', 'approved', 'completed', 'rejected', 'failed', 'needs_attention'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

@Entity({ tableName: 'refund_requests' })
export class RefundRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  /** The journal entry being refunded. */
  @Property({ type: 'uuid' })
  transactionId!: string;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'string', length: 3, default: 'NPR' })
  currency: string = 'NPR';

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'string', length: 16, default: 'pending' })
  status: RefundStatus = 'pending';

  @Property({ type: 'string', length: 16, nullable: true })
  gateway?: string | null;

  @Property({ type: 'string', length: 128, nullable: true })
  gatewayRefundId?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  decisionReason?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  failureReason?: string | null;

  @Property({ type: 'uuid', nullable: true })
  reversalEntryId?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  /** `pending` when the gateway has no refund API (eSewa) and finance must pay the money back by hand; then `paid`. */
  @Property({ type: 'string', length: 16, nullable: true })
  payoutStatus?: 'pending' | 'paid' | null;

  @Property({ type: 'string', length: 128, nullable: true })
  payoutReference?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  payoutNote?: string | null;

  @Property({ type: 'uuid', nullable: true })
  payoutBy?: string | null;

  @Property({ type: 'datetime', nullable: true })
  paidOutAt?: Date | null;

  /** The gateway refund's own status: Stripe refunds are `pending` until the card network settles them. */
  @Property({ type: 'string', length: 16, nullable: true })
  gatewayRefundStatus?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  attentionReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  attentionStep?: string | null;

  @Property({ type: 'datetime', nullable: true })
  attentionAt?: Date | null;
}
