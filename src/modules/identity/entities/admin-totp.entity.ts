import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An admin's TOTP enrolment. The secret is stored encrypted (AES-256-GCM); `last_counter` is the
 * time step of the last code accepted, so a code is never accepted twice; failures lock it a while.
 */
@Entity({ tableName: 'admin_totp' })
export class AdminTotp {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 255 })
  secretEnc!: string;

  /** Null until the admin proved the authenticator works with a first code. */
  @Property({ type: 'datetime', nullable: true })
  confirmedAt?: Date | null;

  @Property({ type: 'bigint', nullable: true })
  lastCounter?: string | null;

  @Property({ type: 'integer', default: 0 })
  failedAttempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
