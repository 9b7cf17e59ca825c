import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A step of a rental's timeline (ejected, time_alert, overdue, returned, settled ...); once per dedupe key. */
@Entity({ tableName: 'rental_events' })
export class RentalEvent {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  rentalId!: string;

  @Property({ type: 'string', length: 32 })
  type!: string;

  @Property({ type: 'string', length: 200, unique: true })
  dedupeKey!: string;

  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown> | null;

  /** Workflow time of the step. */
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
