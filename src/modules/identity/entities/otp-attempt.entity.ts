import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One verification attempt of an OTP challenge. The API stores the keyed hash of the typed code
 * here and hands the workflow only the attempt's id; the workflow's `checkOtpAttempt` activity
 * compares it with the challenge's hash, records the outcome and drops the hash. Failed outcomes
 * (`mismatch`) count towards the identifier's daily cap across challenges.
 */
@Entity({ tableName: 'otp_attempts' })
export class OtpAttempt {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  challengeId!: string;

  /** The challenge's identifier (normalised phone or email). */
  @Property({ type: 'string', length: 254 })
  identifier!: string;

  /** HMAC of the typed code; null once checked. */
  @Property({ type: 'string', length: 64, nullable: true })
  codeHash?: string | null;

  /** `match`, `mismatch`, or `refused` (the identifier was locked: not compared); null until checked. */
  @Property({ type: 'string', length: 16, nullable: true })
  outcome?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  checkedAt?: Date | null;
}
