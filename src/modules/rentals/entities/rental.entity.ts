import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { PaymentMode } from '../../ledger';
import type { ReviewReason, ReviewResolution } from '../rules/review';
import type { PaymentModel, RentalPaymentStatus, RentalStatus } from '../rules/status';

/**
 * One power-bank rental; its process is the `rental:<id>` workflow, this row is what the API
 * reads. Money columns are minor units (NPR paisa). One open rental per user and per power bank
 * (partial unique indexes in the migration).
 */
@Entity({ tableName: 'rentals' })
@Index({ properties: ['userId', 'createdAt'] })
export class Rental {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 64 })
  stationSn!: string;

  @Property({ type: 'integer' })
  slotIndex!: number;

  @Property({ type: 'string', length: 64 })
  powerBankSn!: string;

  @Property({ type: 'uuid' })
  packageId!: string;

  @Property({ type: 'string', length: 16 })
  paymentModel!: PaymentModel;

  @Property({ type: 'string', length: 16 })
  paymentMode!: PaymentMode;

  @Property({ type: 'string', length: 16, default: 'starting' })
  status: RentalStatus = 'starting';

  @Property({ type: 'string', length: 16, default: 'pending' })
  paymentStatus: RentalPaymentStatus = 'pending';

  /** Price and duration of the first package; the cap is the price of every package taken. */
  @Property({ type: new BigIntType('number') })
  priceMinor!: number;

  @Property({ type: 'integer' })
  durationMinutes!: number;

  @Property({ type: new BigIntType('number') })
  priceCapMinor!: number;

  @Property({ type: 'integer', default: 0 })
  extensions: number = 0;

  /** Taken before the ejection (pre-payment) and for extensions. */
  @Property({ type: new BigIntType('number'), default: 0 })
  paidMinor: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  usageMinor: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  fineMinor: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  lostMinor: number = 0;

  /** What the settlement could not take from points and wallet. */
  @Property({ type: new BigIntType('number'), default: 0 })
  dueMinor: number = 0;

  @Property({ type: 'datetime', nullable: true })
  duePaidAt?: Date | null;

  @Property({ type: 'string', length: 32, nullable: true })
  failureCode?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  failureReason?: string | null;

  /** Set when an admin should look at the rental (../rules/review.ts), e.g. a failed eject whose bay let the power bank go. */
  @Property({ type: 'string', length: 32, nullable: true })
  reviewReason?: ReviewReason | null;

  @Property({ type: 'datetime', nullable: true })
  reviewAt?: Date | null;

  /** An admin's closing of the review: how, when, by whom, and why. */
  @Property({ type: 'string', length: 32, nullable: true })
  reviewResolution?: ReviewResolution | null;

  @Property({ type: 'datetime', nullable: true })
  reviewResolvedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  reviewResolvedBy?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  reviewNote?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  returnStationSn?: string | null;

  @Property({ type: 'integer', nullable: true })
  returnSlotIndex?: number | null;

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  returnedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelRequestedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
