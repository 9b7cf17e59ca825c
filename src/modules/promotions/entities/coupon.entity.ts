import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A coupon a super admin issued: points it adds, when it is valid, how often it may be used. */
@Entity({ tableName: 'coupons' })
export class Coupon {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Upper case, unique. */
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  title!: string;

  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'datetime', nullable: true })
  startsAt?: Date | null;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** Redemptions allowed in all; null = no limit. */
  @Property({ type: 'integer', nullable: true })
  totalLimit?: number | null;

  @Property({ type: 'integer', default: 1 })
  perUserLimit: number = 1;

  /** Redemptions so far; kept under the coupon's row lock, never above totalLimit (a check constraint). */
  @Property({ type: 'integer', default: 0 })
  usedCount: number = 0;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
