import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A disbursed loan; its `emi:<loanId>` workflow runs the schedule. Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_loans' })
export class FleetLoan {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'integer' })
  applicationId!: number;

  @Property({ type: 'bigint' })
  principalPaise!: string;

  @Property({ type: 'bigint' })
  emiPaise!: string;

  @Property({ type: 'string' })
  status!: string;
}
