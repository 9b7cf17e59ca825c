import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'station_favorites' })
export class StationFavorite {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'uuid' })
  stationId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
