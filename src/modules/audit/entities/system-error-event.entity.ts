import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A request that ended in a server error (5xx): what admins see as recent error events. */
@Entity({ tableName: 'system_error_events' })
export class SystemErrorEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  requestId?: string | null;

  @Property({ type: 'string', length: 8, nullable: true })
  method?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  path?: string | null;

  @Property({ type: 'integer' })
  status!: number;

  @Property({ type: 'string', length: 64 })
  code!: string;

  @Property({ type: 'string', length: 500 })
  message!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
