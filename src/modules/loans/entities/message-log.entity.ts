import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An admin's SMS or OTP sent through the fleet surface (never the OTP's code). Read and written in SQL. */
@Entity({ tableName: 'fleet_message_log' })
export class FleetMessageLog {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string' })
  kind!: string;
}
