import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A loan application (the `loan-application:<id>` workflow mirrors its state here). Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_loan_applications' })
export class FleetLoanApplication {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'integer' })
  consumerId!: number;

  @Property({ type: 'bigint' })
  amountPaise!: string;

  @Property({ type: 'integer' })
  tenureMonths!: number;

  @Property({ type: 'string' })
  status!: string;
}
