import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** One use of a coupon by a user (the `seq`-th of theirs); its points are the ledger entry `entryId`. */
@Entity({ tableName: 'coupon_redemptions' })
@Unique({ properties: ['couponId', 'userId', 'seq'] })
export class CouponRedemption {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  couponId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'uuid', nullable: true })
  entryId?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
