import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A priced rental duration, e.g. 1 hour = NPR 20 (2000 paisa). */
@Entity({ tableName: 'rental_packages' })
export class RentalPackage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'integer' })
  durationMinutes!: number;

  /** Price in minor units of `currency`. */
  @Property({ type: 'integer' })
  priceMinor!: number;

  @Property({ type: 'string', length: 3, default: 'NPR' })
  currency: string = 'NPR';

  /** `pre_payment`, `post_payment` or `both`. */
  @Property({ type: 'string', length: 16, default: 'both' })
  paymentModel: string = 'both';

  @Property({ type: 'boolean', default: true })
  active: boolean = true;
}
