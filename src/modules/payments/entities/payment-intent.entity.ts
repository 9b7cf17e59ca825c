import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * pending → success | failed | canceled | expired; `needs_attention` while its workflow is parked
 * for an admin (src/kernel/temporal/attention.ts). The `payment-intent:<id>` workflow owns the row;
 * after the TTL the late-check schedule may still turn `expired` into `success` (a late payment).
 */
export const INTENT_STATUSES = ['pending', 'success', 'failed', 'canceled', 'expired', 'needs_attention'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

@Entity({ tableName: 'payment_intents' })
export class PaymentIntent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 16, default: 'wallet_topup' })
  purpose: string = 'wallet_topup';

  @Property({ type: 'string', length: 16 })
  gateway!: string;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'string', length: 3, default: 'NPR' })
  currency: string = 'NPR';

  @Property({ type: 'string', length: 16, default: 'pending' })
  status: IntentStatus = 'pending';

  @Property({ type: 'string', length: 128, nullable: true })
  gatewayRef?: string | null;

  @Property({ type: 'text', nullable: true })
  paymentUrl?: string | null;

  @Property({ type: 'json', nullable: true })
  sessionExtra?: Record<string, unknown> | null;

  @Property({ type: 'string', length: 128, nullable: true })
  gatewayTxnId?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  failureReason?: string | null;

  @Property({ type: 'uuid', nullable: true })
  journalEntryId?: string | null;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  /** The gateway's own word at the last look (Khalti `Pending`, eSewa `AMBIGUOUS`, …). */
  @Property({ type: 'string', length: 32, nullable: true })
  gatewayStatus?: string | null;

  /** When the late-check schedule looks this intent up again (null: never). */
  @Property({ type: 'datetime', nullable: true })
  lateCheckAt?: Date | null;

  @Property({ type: 'integer', default: 0 })
  lateChecks: number = 0;

  /** `credited` (paid late), `settled` (the gateway ended it unpaid) or `gave_up`. */
  @Property({ type: 'string', length: 16, nullable: true })
  lateOutcome?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  attentionReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  attentionStep?: string | null;

  @Property({ type: 'datetime', nullable: true })
  attentionAt?: Date | null;
}
