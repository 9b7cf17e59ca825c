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
