import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A prepayment or foreclosure request with its payment link (and quote). Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_loan_settlements' })
export class FleetLoanSettlement {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'integer' })
  loanId!: number;

  @Property({ type: 'string' })
  kind!: string;

  @Property({ type: 'bigint' })
  amountPaise!: string;

  @Property({ type: 'string' })
  status!: string;
}
