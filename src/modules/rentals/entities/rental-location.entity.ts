import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A GPS point the app synced for a rented power bank. */
@Entity({ tableName: 'rental_locations' })
export class RentalLocation {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  rentalId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'double' })
  latitude!: number;

  @Property({ type: 'double' })
  longitude!: number;

  @Property({ type: 'double', nullable: true })
  accuracyM?: number | null;

  @Property({ type: 'datetime' })
  recordedAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
