import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const PURCHASE_STATUSES = ['starting', 'charging', 'finishing', 'billed', 'failed'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/**
 * One charging session (`charging:<id>` workflow): the hold it reserved, the OCPP transaction and
 * meter readings (Wh), what it cost (MNT) and the driver's feedback.
 */
@Entity({ tableName: 'ev_purchases' })
export class Purchase {
  @PrimaryKey({ type: 'string', length: 24 })
  id!: string;

  @Property({ type: 'uuid', index: true })
  userId!: string;

  @Property({ type: 'string', length: 24 })
  chargerId!: string;

  @Property({ type: 'string', length: 16, default: 'starting' })
  status: PurchaseStatus = 'starting';

  /** Wallet amount reserved while the session is open (MNT); other sessions cannot spend it. */
  @Property({ type: 'integer', default: 0 })
  holdAmount: number = 0;

  @Property({ type: 'integer', nullable: true })
  transactionId?: number | null;

  @Property({ type: 'integer', nullable: true })
  meterStart?: number | null;

  @Property({ type: 'integer', nullable: true })
  meterLast?: number | null;

  @Property({ type: 'integer', nullable: true })
  meterStop?: number | null;

  @Property({ type: 'integer', default: 0 })
  price: number = 0;

  @Property({ type: 'integer', default: 0 })
  waitingPrice: number = 0;

  @Property({ type: 'integer', default: 0 })
  waitingMinutes: number = 0;

  @Property({ type: 'integer', default: 0 })
  amount: number = 0;

  /** Why it stopped: user, balance, charger, disconnected, no_start. */
  @Property({ type: 'string', length: 16, nullable: true })
  stopReason?: string | null;

  /** Billed from the last meter value because the charger never came back. */
  @Property({ type: 'boolean', default: false })
  flagged: boolean = false;

  @Property({ type: 'smallint', nullable: true })
  feedbackScore?: number | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  feedbackDescription?: string | null;

  @Property({ type: 'datetime', nullable: true })
  feedbackAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;
}
