import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A battery lessee onboarded by a dealer; KYC keeps the PAN and only the masked Aadhaar. Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_consumers' })
export class FleetConsumer {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'uuid' })
  dealerId!: string;

  @Property({ type: 'string' })
  name!: string;

  @Property({ type: 'string' })
  phone!: string;

  @Property({ type: 'string' })
  kycStatus!: string;
}
