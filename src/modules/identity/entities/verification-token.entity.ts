import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Proof that the caller owns an identifier, issued once per verified OTP challenge.
 * Only the SHA-256 of the token is stored; it is consumed at most once (conditional update).
 */
@Entity({ tableName: 'verification_tokens' })
export class VerificationToken {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'uuid', unique: true })
  challengeId!: string;

  @Property({ type: 'string', length: 254 })
  identifier!: string;

  @Property({ type: 'string', length: 8 })
  channel!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  purpose?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  consumedAt?: Date | null;

  /** `login` or `register`. */
  @Property({ type: 'string', length: 16, nullable: true })
  consumedFor?: string | null;
}
