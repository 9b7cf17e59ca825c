import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A signed amount on one account; the postings of an entry sum to zero per currency. */
@Entity({ tableName: 'journal_postings' })
export class JournalPosting {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  entryId!: string;

  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'boolean', default: false })
  allowNegative: boolean = false;

  @Property({ type: new BigIntType('number') })
  balanceAfterMinor!: number;
}
