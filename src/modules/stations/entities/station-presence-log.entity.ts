import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A station going online or offline (only changes are written): the source of offline minutes and availability. */
@Entity({ tableName: 'station_presence_log' })
export class StationPresenceLog {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  stationId!: string;

  @Property({ type: 'boolean' })
  online!: boolean;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date = new Date();

  /** Offline seconds from the station's first logged change up to `at` (set by a trigger on insert). */
  @Property({ type: 'double', default: 0 })
  offlineSecondsBefore: number = 0;
}
