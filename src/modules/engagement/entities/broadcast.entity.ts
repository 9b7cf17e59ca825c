import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A notification to all users or a segment, sent by the `broadcast:<id>` workflow in batches. The
 * id is the admin's broadcast id (idempotency); `delivered`, `batches` and `cursor` (the last user
 * id done, in id order) are its progress, written in each batch's transaction.
 */
@Entity({ tableName: 'broadcasts' })
export class Broadcast {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'json', default: '{}' })
  segment: Record<string, unknown> = {};

  /** `running`, `completed`. */
  @Property({ type: 'string', length: 16, default: 'running' })
  status: string = 'running';

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'integer', default: 0 })
  delivered: number = 0;

  @Property({ type: 'integer', default: 0 })
  batches: number = 0;

  @Property({ type: 'uuid', nullable: true })
  cursor?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
