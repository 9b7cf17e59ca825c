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

/**
 * An ISO 8601 date-time with its offset, handed on in UTC (`…Z`). RFC 3339 allows offsets up to
 * ±23:59 and PostgreSQL refuses those beyond ±15:59 (a coupon expiring at `+18:21` answered 500,
 * found by schemathesis); in UTC its year must stay within 0001-9999.
 */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const year = new Date(s).getUTCFullYear();
    return year >= 1 && year <= 9999;
  }, 'must fall within the years 0001-9999 in UTC')
  .transform((s) => new Date(s).toISOString());
