import { z } from 'zod';
import './openapi';

/**
 * A date in a query string, as documented: an ISO 8601 date (2026-01-31, midnight UTC) or date-time
 * with its offset. (z.coerce.date() also took "0.5" or "1", which the document does not allow.)
 */
export const QueryDate = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s))
  .openapi({ description: 'ISO 8601 date (2026-01-31) or date-time with offset (2026-01-31T10:00:00+05:45)' });
