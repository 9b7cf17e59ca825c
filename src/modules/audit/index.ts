/**
 * Audit: the admin audit log (who did what to what, when, before and after) and recent server
 * error events, both redacted of tokens, codes and secrets. The HTTP layer records every admin
 * action through AuditLogService; admins read both at GET /admin/system/logs.
 */
export { auditEntities } from './entities';
export { redact, REDACTED } from './rules/redact';
export { AuditLogService, type AdminActionRecord, type AuditLogQuery, type ErrorEventRecord } from './services/audit-log.service';
