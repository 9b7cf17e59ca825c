import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The journal's platform-side postings (system and gateway accounts) summed per 15 minutes (UTC
 * buckets, so any time zone's days are whole buckets), account and source (the prefix of the
 * entry's key: `rental-usage`, `refund`, `topup` ...). Written in each posting's transaction.
 */
@Entity({ tableName: 'ledger_rollup' })
export class LedgerRollup {
  @PrimaryKey({ type: 'datetime' })
  bucket!: Date;

  @PrimaryKey({ type: 'uuid' })
  accountId!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  source!: string;

  @Property({ type: new BigIntType('number'), default: 0 })
  inMinor: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  outMinor: number = 0;

  @Property({ type: 'integer', default: 0 })
  postings: number = 0;
}
