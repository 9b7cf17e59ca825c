import { z } from 'zod';
import { MoneyFormatError, parseMajor } from '../../../kernel/money';

/** A decimal string parseMajor takes: up to 13 whole digits (paisa stay a safe integer) and 2 decimals. */
const DECIMAL = /^-?[0-9]{1,13}(?:\.[0-9]{1,2})?$/;
/** 0.01 to 100000.00 as a decimal string (the admin credit's bounds), the same bounds the number form documents. */
const UP_TO_100K = /^(?:100000(?:\.0{1,2})?|0{0,4}[1-9][0-9]{0,4}(?:\.[0-9]{1,2})?|0{1,5}\.(?:[1-9][0-9]?|0[1-9]))$/;

/** NPR amount as "123.45" or 123.45 → integer paisa: both forms documented with exactly the bounds checked here. */
const moneyInput = (text: RegExp, min?: number, max?: number) => {
  const n = z
    .number()
    .multipleOf(0.01)
    .min(min ?? -9_999_999_999_999.99)
    .max(max ?? 9_999_999_999_999.99)
    // zod-to-openapi leaves multipleOf out of the document: stated here so the document says what is checked.
    .openapi({ multipleOf: 0.01 });
  return z.union([z.string().regex(text, 'amount must be a decimal number like "100.50"'), n]);
};

/** An admin's wallet credit: 0.01 to 100000.00, in paisa. */
export const CreditInput = moneyInput(UP_TO_100K, 0.01, 100_000)
  .transform((v) => parseMajor(v))
  .openapi({ description: 'NPR amount, 0.01 to 100000.00, e.g. "100.00"', example: '100.00' });

/** NPR amount as "123.45" or 123.45 → integer paisa, validated. */
export const MoneyInput = moneyInput(DECIMAL)
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
