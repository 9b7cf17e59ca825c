import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A service ticket for a battery; its `service-ticket:<id>` workflow assigns it and keeps the SLA. Read and written in SQL. */
@Entity({ tableName: 'fleet_service_tickets' })
export class FleetServiceTicket {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string' })
  status!: string;
}
