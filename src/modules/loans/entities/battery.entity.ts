import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A leased battery: a device on the hardware bus (`battery/<serial>/...`) with its last telemetry. Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_batteries' })
export class FleetBattery {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string' })
  serialNumber!: string;

  @Property({ type: 'string' })
  status!: string;

  @Property({ type: 'integer' })
  healthScore!: number;
}
