import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A login: the `sid` in every access token and the family of its refresh tokens. The auth guard
 * looks it up on every request, so revoking it (logout, refresh reuse, erasure) ends access at once.
 */
@Entity({ tableName: 'auth_sessions' })
export class AuthSession {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastRefreshedAt?: Date | null;

  /** When the refresh token family lapses: slides with each refresh, never past absoluteExpiresAt. */
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** The session's hard end (SESSION_MAX_DAYS, ADMIN_SESSION_MAX_HOURS for admins). */
  @Property({ type: 'datetime' })
  absoluteExpiresAt!: Date;

  /** When a second factor (TOTP or recovery code) was last verified in this session. */
  @Property({ type: 'datetime', nullable: true })
  secondFactorAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** `logout`, `refresh_token_reuse`, `account_deleted`, ... */
  @Property({ type: 'string', length: 32, nullable: true })
  revokeReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  userAgent?: string | null;
}
