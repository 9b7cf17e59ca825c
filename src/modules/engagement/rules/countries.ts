import { COUNTRY_ROWS } from './countries.data';

export interface Country {
  code: string;
  iso3: string;
  name: string;
  dial_code: string;
  flag: string;
}

/** The flag emoji of an ISO alpha-2 code: its two letters as regional indicator symbols. */
export function flagEmoji(code: string): string {
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

export const COUNTRIES: readonly Country[] = COUNTRY_ROWS.map(([code, iso3, name, dial]) => ({ code, iso3, name, dial_code: dial, flag: flagEmoji(code) }));
export const COUNTRY_CODES = new Set(COUNTRIES.map((c) => c.code));
