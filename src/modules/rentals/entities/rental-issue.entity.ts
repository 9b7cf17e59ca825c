import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { IssueType } from '../rules/status';

/** A problem the user reported with the rented power bank (damaged, not working, lost ...). */
@Entity({ tableName: 'rental_issues' })
export class RentalIssue {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  rentalId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 32 })
  type!: IssueType;

  @Property({ type: 'string', length: 1000, nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 16, default: 'open' })
  status: string = 'open';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
