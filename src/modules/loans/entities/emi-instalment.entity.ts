import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One instalment of a loan's reducing-balance schedule, in paise. Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_emi_instalments' })
export class FleetEmiInstalment {
  @PrimaryKey({ type: 'integer' })
  loanId!: number;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'bigint' })
  emiPaise!: string;

  @Property({ type: 'string' })
  status!: string;
}
