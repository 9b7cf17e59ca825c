import { requestContext } from '../../kernel/context';
import { toAppError } from '../../kernel/errors';
import { logger } from '../../kernel/logger';
import type { AdminActionRecord } from '../../modules/audit';
import type { AuthUser } from './auth';

/** Where admin actions are written (AuditLogService). */
export interface AdminAuditSink {
  recordAdminAction(r: AdminActionRecord): Promise<void>;
}

/** A route's audit settings: what it acts on, and how to read that thing's state before the action. */
export interface RouteAudit<I> {
  target?: string;
  before?: (input: I) => Promise<unknown>;
}

interface AuditedCall<I extends { params: unknown; body: unknown; query: unknown; user?: AuthUser }> {
  sink: AdminAuditSink;
  action: string;
  /** The status a success answers with. */
  okStatus: number;
  input: I;
  audit?: RouteAudit<I>;
  run: () => Promise<unknown>;
}

const targetId = (params: unknown) => {
  const p = (params ?? {}) as Record<string, unknown>;
  const id = p.id ?? p.sn ?? Object.values(p)[0];
  return id === undefined ? null : String(id);
};

/**
 * Runs an admin action and records it: who, what, on what, the state before (when the route can
 * read it) and the answer after, the request's params and body, and the status (refusals too).
 * The record never fails the action: a write that fails is logged.
 */
export async function audited<I extends { params: unknown; body: unknown; query: unknown; user?: AuthUser }>(call: AuditedCall<I>): Promise<unknown> {
  const { sink, input, audit } = call;
  const before = audit?.before ? await audit.before(input).catch(() => undefined) : undefined;
  // A handler that reads the state before inside its own transaction hands it over in res.locals.auditBefore.
  const record = (status: number, after: unknown) =>
    sink
      .recordAdminAction({
        actorId: input.user?.id ?? null,
        actorRole: input.user?.role ?? null,
        action: call.action,
        targetType: audit?.target ?? null,
        targetId: targetId(input.params),
        requestId: requestContext.getStore()?.requestId ?? null,
        status,
        before: (input as { res?: { locals?: Record<string, unknown> } }).res?.locals?.auditBefore ?? before,
        after,
        details: { params: input.params, query: input.query, body: input.body },
      })
      .catch((err) => logger.error({ err, action: call.action }, 'audit write failed'));
  try {
    const result = await call.run();
    await record(call.okStatus, result);
    return result;
  } catch (err) {
    const e = toAppError(err);
    await record(e.status, { error: { code: e.code, message: e.message } });
    throw err;
  }
}
