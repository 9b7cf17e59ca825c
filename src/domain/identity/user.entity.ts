import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32, nullable: true, unique: true })
  phone?: string | null;

  @Property({ type: 'string', length: 254, nullable: true, unique: true })
  email?: string | null;

  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  username?: string | null;

  @Property({ type: 'string', length: 16, default: 'customer' })
  role: Role = 'customer';

  @Property({ type: 'string', length: 16, default: 'active' })
  status: string = 'active';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
