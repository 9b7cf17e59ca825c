import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A single-use recovery code of an admin's second factor, stored as its SHA-256 (shown once). */
@Entity({ tableName: 'admin_recovery_codes' })
export class AdminRecoveryCode {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 64 })
  codeHash!: string;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
