import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const REPLENISHMENT_STATUSES = ['pending', 'success', 'error', 'canceled'] as const;
export type ReplenishmentStatus = (typeof REPLENISHMENT_STATUSES)[number];

/**
 * One wallet top-up through QPay (`qpay-invoice:<invoiceId>` workflow): the invoice, what it is
 * for (MNT minor units) and how it ended. The callback token makes the callback URL unguessable.
 */
@Entity({ tableName: 'ev_replenishments' })
export class Replenishment {
  /** Our sender_invoice_no. */
  @PrimaryKey({ type: 'string', length: 24 })
  id!: string;

  @Property({ type: 'uuid', index: true })
  userId!: string;

  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  invoiceId?: string | null;

  @Property({ type: 'bigint' })
  amountMinor!: number;

  @Property({ type: 'string', length: 16, default: 'pending' })
  status: ReplenishmentStatus = 'pending';

  @Property({ type: 'string', length: 64 })
  callbackToken!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  paymentId?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  shortUrl?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  settledAt?: Date | null;
}
