import { z, type ZodType } from 'zod';
import './openapi';
import { ESTIMATED_TOTAL_NOTE } from '../../kernel/paging';

/** `?page=&page_size=` of every list endpoint: page from 1, at most 100 items a page. */
export const PaginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ description: 'Page number, from 1' }),
  page_size: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Items per page (1-100, default 20)' }),
});

export const PaginationMeta = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
  total_pages: z.number().int(),
});

/** PaginationMeta of a list over a large table, whose total may be an estimate (listTotal in src/kernel/paging.ts). */
export const EstimatedPaginationMeta = PaginationMeta.extend({
  total: z
    .number()
    .int()
    .openapi({ description: `Results matching the filters. ${ESTIMATED_TOTAL_NOTE}` }),
  total_pages: z.number().int().openapi({ description: 'ceil(total / page_size), an estimate where total is' }),
});

/** The `data` of a list endpoint: `{results, pagination}`; `estimatedTotal` documents a total that may be estimated. */
export function paginated<T extends ZodType>(item: T, opts: { estimatedTotal?: boolean } = {}) {
  return z.object({ results: z.array(item), pagination: opts.estimatedTotal ? EstimatedPaginationMeta : PaginationMeta });
}

/** A query-string boolean: true/false/1/0 (z.coerce.boolean would read "false" as true). */
export const QueryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
