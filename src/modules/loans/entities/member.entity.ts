import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A dealer, admin or technician of the fleet product: an identity user with a fleet role. Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_members' })
export class FleetMember {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string' })
  phone!: string;

  @Property({ type: 'string' })
  userType!: string;

  @Property({ type: 'string' })
  name!: string;
}
