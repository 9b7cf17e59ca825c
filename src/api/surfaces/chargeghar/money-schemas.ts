import { z } from 'zod';
import { MoneyFormatError, parseMajor } from '../../../kernel/money';

/** NPR amount as "123.45" or 123.45 → integer paisa, validated. */
export const MoneyInput = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    try {
      return parseMajor(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof MoneyFormatError ? err.message : 'invalid amount' });
      return z.NEVER;
    }
  })
  .openapi({ description: 'NPR amount, e.g. "100.00"', example: '100.00' });

export const Pagination = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
};

export const PaginationOut = z.object({ page: z.number(), page_size: z.number(), total: z.number(), total_pages: z.number() });
