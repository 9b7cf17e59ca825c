import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * Every notification sent to a user. `inApp` rows are the user's in-app inbox; `push` ones also
 * have an FcmLog row. `dedupeKey` makes a repeated notify (retry, daily reminder) a no-op.
 */
@Entity({ tableName: 'notifications' })
export class Notification {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 48 })
  type!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'json', default: '{}' })
  data: Record<string, unknown> = {};

  @Property({ type: 'boolean', default: true })
  inApp: boolean = true;

  @Property({ type: 'boolean', default: false })
  push: boolean = false;

  @Property({ type: 'string', length: 160, nullable: true, unique: true })
  dedupeKey?: string | null;

  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
