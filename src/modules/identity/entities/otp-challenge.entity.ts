import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One OTP challenge, driven by the `auth-otp:<id>` workflow. The code itself is never stored:
 * `codeHash` is HMAC-SHA256(OTP_HASH_SECRET, "<id>:<code>").
 */
@Entity({ tableName: 'otp_challenges' })
@Index({ properties: ['identifier', 'createdAt'] })
export class OtpChallenge {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Normalised phone (E.164) or lower-cased email. */
  @Property({ type: 'string', length: 254 })
  identifier!: string;

  /** `sms` or `email`. */
  @Property({ type: 'string', length: 8 })
  channel!: string;

  /** `login`, `register` or null when the app did not say. */
  @Property({ type: 'string', length: 16, nullable: true })
  purpose?: string | null;

  /** `pending`, `sent`, `verified`, `locked`, `expired`, `failed`, `superseded`. */
  @Property({ type: 'string', length: 16, default: 'pending' })
  status: string = 'pending';

  @Property({ type: 'string', length: 64, nullable: true })
  codeHash?: string | null;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'integer', default: 0 })
  sendAttempts: number = 0;

  @Property({ type: 'string', length: 255, nullable: true })
  lastError?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  requestIp?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}
