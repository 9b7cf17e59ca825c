import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One admin action: who, what, on what, when, the state before and after (secrets redacted), and the answer's status. */
@Entity({ tableName: 'admin_audit_log' })
export class AdminAuditEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  actorRole?: string | null;

  /** e.g. `PATCH /admin/users/{id}/status`. */
  @Property({ type: 'string', length: 120 })
  action!: string;

  @Property({ type: 'string', length: 48, nullable: true })
  targetType?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  targetId?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  requestId?: string | null;

  @Property({ type: 'integer' })
  status!: number;

  @Property({ type: 'json', nullable: true })
  before?: unknown;

  @Property({ type: 'json', nullable: true })
  after?: unknown;

  /** The request's params and body (redacted). */
  @Property({ type: 'json', nullable: true })
  details?: unknown;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
