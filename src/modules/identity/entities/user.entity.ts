import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Roles known today; the column is a varchar so later issues can add staff roles. */
export const ROLES = ['customer', 'admin', 'super_admin', 'finance'] as const;
export type Role = (typeof ROLES)[number];

@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** E.164, e.g. +9779812345678. Nulled when the account is erased. */
  @Property({ type: 'string', length: 32, nullable: true, unique: true })
  phone?: string | null;

  @Property({ type: 'string', length: 254, nullable: true, unique: true })
  email?: string | null;

  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  username?: string | null;

  @Property({ type: 'string', length: 32, default: 'customer' })
  role: string = 'customer';

  /** `active`, `banned`, `suspended`, `deleted`. */
  @Property({ type: 'string', length: 16, default: 'active' })
  status: string = 'active';

  /** Why an admin last changed the status, who did and when. */
  @Property({ type: 'string', length: 255, nullable: true })
  statusReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  statusChangedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  statusChangedBy?: string | null;

  /** The inviter's code given at registration; the points issue awards the referral. */
  @Property({ type: 'string', length: 32, nullable: true })
  referredByCode?: string | null;

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
