/**
 * Nepali citizenship certificate numbers are district-issued serials written with digits and
 * separators, e.g. `27-01-71-05846`, `123-456-7890`, `5-2-71/1234` or plain `1234567`, sometimes
 * in Devanagari digits. Normalised form: ASCII digits, `-` and `/` only.
 */
const DEVANAGARI_ZERO = 0x0966;

export function normaliseCitizenshipNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\u0966-\u096F]/g, (c) => String(c.charCodeAt(0) - DEVANAGARI_ZERO))
    .replace(/\s*([-/])\s*/g, '$1')
    .replace(/\s+/g, '-');
}

/** 1-8 digit groups joined by `-` or `/`, 5 to 16 digits in total (after normalising). */
export function isValidCitizenshipNumber(normalised: string): boolean {
  if (!/^\d{1,8}([-/]\d{1,8}){0,4}$/.test(normalised)) return false;
  const digits = normalised.replace(/\D/g, '').length;
  return digits >= 5 && digits <= 16;
}

/**
 * The documented form (OpenAPI `pattern` and zod's check): a subset of what isValidCitizenshipNumber
 * accepts after normalising, so a number valid by the document is never refused. 5 to 8 digits, or 1 to 3
 * groups of 1 to 3 digits, each followed by `-`, `/` or a space, then 4 to 7 digits (5 to 16 in all);
 * ASCII or Devanagari digits, spaces around the whole allowed.
 */
const D = '[0-9\u0966-\u096F]';
export const CITIZENSHIP_NUMBER_PATTERN = new RegExp(`^ *(?:${D}{5,8}|(?:${D}{1,3}[-/ ]){1,3}${D}{4,7}) *$`);
