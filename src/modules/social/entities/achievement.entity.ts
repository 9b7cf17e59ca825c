import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** An achievement admins define: unlocked when a user's total for `criteriaType` reaches `threshold`; rewards points once. */
@Entity({ tableName: 'achievements' })
export class Achievement {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 32 })
  criteriaType!: string;

  @Property({ type: 'integer' })
  threshold!: number;

  @Property({ type: 'integer', default: 0 })
  rewardPoints: number = 0;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
