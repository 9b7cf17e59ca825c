import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** One refresh token of a session (its `jti`). Used once: a second use revokes the session. */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  sessionId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  replacedBy?: string | null;
}
