import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/*
 * The rentals' activity rollup (migration 20261202061000): written only by the `rentals_activity_rollup`
 * trigger in each rental write's own transaction, read by the admin analytics. Days are Nepali days.
 */

/** Per day: rentals created, distinct renters, failed ejects. */
@Entity({ tableName: 'rental_days' })
export class RentalDay {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'integer', default: 0 })
  rentals: number = 0;

  @Property({ type: 'integer', default: 0 })
  renters: number = 0;

  @Property({ type: 'integer', default: 0 })
  failedEjects: number = 0;
}

/** A user's active days: rentals created by the user that day. */
@Entity({ tableName: 'renter_days' })
export class RenterDay {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'integer' })
  rentals!: number;
}

/** Users active on `day` whose previous active day was `prevDay` ('-infinity': none). */
@Entity({ tableName: 'renter_day_gaps' })
export class RenterDayGap {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'date' })
  prevDay!: string;

  @Property({ type: 'integer', default: 0 })
  users: number = 0;
}
