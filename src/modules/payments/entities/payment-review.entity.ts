import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** What happened at a gateway outside our own flows, for an admin to look at. */
export const REVIEW_KINDS = ['dashboard_refund', 'dispute', 'gateway_refund_failed'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** A money event at a gateway that the ledger followed on its own (a dashboard refund, a dispute, a refund that failed late). */
@Entity({ tableName: 'payment_reviews' })
@Unique({ name: 'payment_reviews_kind_external_id_unique', properties: ['kind', 'externalId'] })
export class PaymentReview {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  kind!: ReviewKind;

  @Property({ type: 'string', length: 16 })
  gateway!: string;

  /** The gateway's id of the event's object (re_…, dp_…, or charge:amount for a dashboard refund). */
  @Property({ type: 'string', length: 128 })
  externalId!: string;

  @Property({ type: 'uuid', nullable: true })
  intentId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  refundId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The ledger entry that followed it (a wallet debit or re-credit). */
  @Property({ type: 'uuid', nullable: true })
  entryId?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  note?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'string', length: 64, nullable: true })
  resolvedBy?: string | null;
}
