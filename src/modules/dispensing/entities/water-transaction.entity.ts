import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { PaymentMethod, PaymentStatus } from '../rules/statuses';

/** One purchase of water (M-Pesa or Paystack), the row the status endpoints read; the `water-payment:<reference>` workflow writes it. */
@Entity({ tableName: 'water_transactions' })
export class WaterTransaction {
  @PrimaryKey({ type: 'string', length: 40 })
  transactionReference!: string;

  @Property({ type: 'string', length: 16 })
  method!: PaymentMethod;

  @Property({ type: 'string', length: 16 })
  status!: PaymentStatus;

  @Property({ type: 'string', length: 16, nullable: true })
  phoneNumber?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Property({ type: 'integer' })
  amountMinor!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'integer' })
  liters!: number;

  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  checkoutRequestId?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  merchantRequestId?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  receiptNumber?: string | null;

  @Property({ type: 'datetime', nullable: true })
  transactionDate?: Date | null;

  @Property({ type: 'integer', nullable: true })
  resultCode?: number | null;

  @Property({ type: 'string', length: 255, nullable: true })
  resultDesc?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  authorizationUrl?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  accessCode?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  gatewayStatus?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  channel?: string | null;

  @Property({ type: 'json', nullable: true })
  metadata?: Record<string, unknown> | null;

  /** A run parked as needs_attention: which (water_payment, water_otp), why, at which step, since when. */
  @Property({ type: 'string', length: 16, nullable: true })
  attentionKind?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  attentionReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  attentionStep?: string | null;

  @Property({ type: 'datetime', nullable: true })
  attentionAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
