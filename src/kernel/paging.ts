/** A page request of a list: page from 1, `page_size` items a page. */
export interface Pagination {
  page: number;
  page_size: number;
}

/** The `data` of a list answer: `{results, pagination}`. */
export function pageOf<T>(results: T[], total: number, { page, page_size }: Pagination) {
  return { results, pagination: { page, page_size, total, total_pages: Math.ceil(total / page_size) } };
}

export const offsetOf = ({ page, page_size }: Pagination) => (page - 1) * page_size;

/** Services that take `pageSize` (camelCase) hand it to pageOf/offsetOf through this. */
export const pageArgs = (q: { page: number; pageSize: number }): Pagination => ({ page: q.page, page_size: q.pageSize });

/** `%text%` for ILIKE with the user's own `%`, `_` and `\` matched literally. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A list counts its rows exactly up to this many; above it, `total` is the planner's estimate (issue 16: an
 * exact count of 100k stations or users reads every row on every page request).
 */
export const EXACT_TOTAL_CAP = 1000;

/** Documents `pagination.total` where a list may estimate it (listTotal). */
export const ESTIMATED_TOTAL_NOTE = `Exact up to ${EXACT_TOTAL_CAP}; above that, PostgreSQL's row estimate for the filtered set (at least ${EXACT_TOTAL_CAP + 1}), made exact on the last page (a page with fewer than page_size results).`;

type Exec = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * How many rows `from` (a list's `from ... where ...`) holds: counted exactly while there are at most
 * EXACT_TOTAL_CAP (a count over a LIMIT, so it never reads more than the cap), else the planner's row
 * estimate (EXPLAIN: no row read), never below the cap.
 */
export async function listTotal(exec: Exec, from: string, params: unknown[]): Promise<number> {
  const [{ n }] = await exec(`select count(*)::int as n from (select 1 ${from} limit ${EXACT_TOTAL_CAP + 1}) capped`, params);
  if (Number(n) <= EXACT_TOTAL_CAP) return Number(n);
  const [row] = await exec(`explain (format json) select 1 ${from}`, params);
  const plan = row['QUERY PLAN'] as { Plan: { 'Plan Rows': number } }[];
  return Math.max(EXACT_TOTAL_CAP + 1, Math.round(plan[0].Plan['Plan Rows']));
}

/**
 * pageOf with a total that may be an estimate (listTotal): a page with fewer than page_size results is the
 * last one, so it fixes the total exactly; a full page means at least its last row. An empty page past
 * the end says nothing about the total (its offset is only what was asked for).
 */
export function estimatedPageOf<T>(results: T[], total: number, q: Pagination) {
  const seen = results.length ? offsetOf(q) + results.length : 0;
  const last = results.length < q.page_size && (results.length > 0 || q.page === 1);
  return pageOf(results, last ? seen : Math.max(total, seen), q);
}
