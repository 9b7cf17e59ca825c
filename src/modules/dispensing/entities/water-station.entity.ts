import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A water station: a device on the hardware bus (`water/<stationId>/...`), with its own credential (derived from WATER_STATION_SECRET). */
@Entity({ tableName: 'water_stations' })
export class WaterStation {
  @PrimaryKey({ type: 'string', length: 64 })
  stationId!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'double', nullable: true })
  latitude?: number | null;

  @Property({ type: 'double', nullable: true })
  longitude?: number | null;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'integer', nullable: true })
  tankLevelPercent?: number | null;

  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
