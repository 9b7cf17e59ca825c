import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An identifier (phone or email) locked after too many failed OTP verifications across its
 * challenges in a day. Each lock within a day of the previous one lasts twice as long.
 */
@Entity({ tableName: 'otp_identifier_locks' })
export class OtpIdentifierLock {
  @PrimaryKey({ type: 'string', length: 254 })
  identifier!: string;

  /** How admins name the lock (GET/POST /api/admin/attention, kind `otp_identifier_lock`). */
  @Property({ type: 'uuid', defaultRaw: 'gen_random_uuid()', unique: true })
  id!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  lockedAt: Date = new Date();

  @Property({ type: 'datetime' })
  lockedUntil!: Date;

  /** Locks in a row (each within a day of the last): the back-off's exponent. */
  @Property({ type: 'integer', default: 1 })
  lockCount: number = 1;

  /** Failed verifications in the day before the lock. */
  @Property({ type: 'integer' })
  failures!: number;

  /** The admin who released the lock early, if one did. */
  @Property({ type: 'uuid', nullable: true })
  releasedBy?: string | null;
}
