import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** One account per (owner, kind, currency); `balanceMinor` is kept in step with its postings. */
@Entity({ tableName: 'ledger_accounts' })
@Unique({ name: 'ledger_accounts_owner_kind_currency_unique', properties: ['ownerType', 'ownerId', 'kind', 'currency'] })
export class LedgerAccount {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 16 })
  ownerType!: string;

  @Property({ type: 'string', length: 64 })
  ownerId!: string;

  @Property({ type: 'string', length: 32 })
  kind!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: new BigIntType('number'), default: 0 })
  balanceMinor: number = 0;

  /** Guarded accounts (user wallet, points) never go negative without an explicit due. */
  @Property({ type: 'boolean', default: false })
  guarded: boolean = false;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
