import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A station's signing secret, encrypted at rest (AES-256-GCM under WATER_STATION_SECRET); a rotated one lives on until `expiresAt`. */
@Entity({ tableName: 'water_station_secrets' })
@Index({ name: 'water_station_secrets_station_index', properties: ['stationId', 'createdAt'] })
export class WaterStationSecret {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'string', length: 64 })
  stationId!: string;

  @Property({ type: 'string', length: 255 })
  secretEnc!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;
}
