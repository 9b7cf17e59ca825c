import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** pending → success | failed | canceled | expired. The `payment-intent:<id>` workflow owns the row. */
export const INTENT_STATUSES = ['pending', 'success', 'failed', 'canceled', 'expired'] as const;
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
}
