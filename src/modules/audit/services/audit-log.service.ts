import type { MikroORM } from '@mikro-orm/postgresql';
import { executor } from '../../../kernel/sql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { redact } from '../rules/redact';

export interface AdminActionRecord {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  requestId?: string | null;
  status: number;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

export interface ErrorEventRecord {
  requestId?: string | null;
  method?: string | null;
  path?: string | null;
  status: number;
  code: string;
  message: string;
}

export interface AuditLogQuery extends Pagination {
  kind: 'admin_action' | 'error';
  actor_id?: string;
  target_type?: string;
  target_id?: string;
  action?: string;
  from?: Date | string;
  to?: Date | string;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));
const iso = (v: unknown) => new Date(v as string).toISOString();

/**
 * The admin audit log (every admin action: who, what, on what, when, before/after) and the
 * recent server errors. Everything stored passes through redact(): no tokens, codes or secrets.
 */
export class AuditLogService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  private get sql() {
    return executor(this.deps.orm);
  }

  async recordAdminAction(r: AdminActionRecord): Promise<void> {
    await this.sql(
      `insert into admin_audit_log (actor_id, actor_role, action, target_type, target_id, request_id, status, before, after, details)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)`,
      [
        r.actorId,
        r.actorRole,
        r.action.slice(0, 120),
        r.targetType ?? null,
        r.targetId?.slice(0, 120) ?? null,
        r.requestId ?? null,
        r.status,
        json(r.before),
        json(r.after),
        json(r.details),
      ],
    );
  }

  async recordError(e: ErrorEventRecord): Promise<void> {
    await this.sql(`insert into system_error_events (request_id, method, path, status, code, message) values (?, ?, ?, ?, ?, ?)`, [
      e.requestId ?? null,
      e.method ?? null,
      e.path?.split('?')[0].slice(0, 255) ?? null,
      e.status,
      e.code.slice(0, 64),
      e.message.slice(0, 500),
    ]);
  }

  async list(q: AuditLogQuery) {
    const where = ['1=1'];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      where.push(sql);
      params.push(v);
    };
    if (q.from) add('created_at >= ?', q.from);
    if (q.to) add('created_at < ?', q.to);
    if (q.kind === 'admin_action') {
      if (q.actor_id) add('actor_id = ?', q.actor_id);
      if (q.target_type) add('target_type = ?', q.target_type);
      if (q.target_id) add('target_id = ?', q.target_id);
      if (q.action) add('action ilike ?', `%${q.action.replace(/[\\%_]/g, '\\$&')}%`);
    }
    const table = q.kind === 'admin_action' ? 'admin_audit_log' : 'system_error_events';
    const [{ total }] = await this.sql(`select count(*)::int as total from ${table} where ${where.join(' and ')}`, params);
    const rows = await this.sql(`select * from ${table} where ${where.join(' and ')} order by id desc limit ? offset ?`, [...params, q.page_size, offsetOf(q)]);
    return pageOf(
      rows.map((r: Record<string, unknown>) => (q.kind === 'admin_action' ? presentAction(r) : presentError(r))),
      total,
      q,
    );
  }
}

const presentAction = (r: Record<string, unknown>) => ({
  kind: 'admin_action' as const,
  id: String(r.id),
  actor_id: (r.actor_id as string) ?? null,
  actor_role: (r.actor_role as string) ?? null,
  action: String(r.action),
  target_type: (r.target_type as string) ?? null,
  target_id: (r.target_id as string) ?? null,
  request_id: (r.request_id as string) ?? null,
  status: Number(r.status),
  before: r.before ?? null,
  after: r.after ?? null,
  details: r.details ?? null,
  created_at: iso(r.created_at),
});

const presentError = (r: Record<string, unknown>) => ({
  kind: 'error' as const,
  id: String(r.id),
  request_id: (r.request_id as string) ?? null,
  method: (r.method as string) ?? null,
  path: (r.path as string) ?? null,
  status: Number(r.status),
  code: String(r.code),
  message: String(r.message),
  created_at: iso(r.created_at),
});
