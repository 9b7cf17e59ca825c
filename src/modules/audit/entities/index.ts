import { AdminAuditEntry } from './admin-audit-entry.entity';
import { SystemErrorEvent } from './system-error-event.entity';

/** The audit module's MikroORM entities (its tables). */
export const auditEntities = [AdminAuditEntry, SystemErrorEvent];
export { AdminAuditEntry, SystemErrorEvent };
