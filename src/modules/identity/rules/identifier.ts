/**
 * Login identifiers: a mobile number (Nepali; Indian with its country code; Mongolian where the surface says so) or an email address. Pure functions, safe in workflows.
 * Phones are stored as E.164 (+977 and 10 digits); Sparrow SMS takes the 10 local digits.
 */
export type OtpChannel = 'sms' | 'email';

export interface Identifier {
  value: string;
  channel: OtpChannel;
}

/** Nepali mobiles: 10 digits starting 96, 97 or 98 (NTC, Ncell, Smart), with or without +977. */
const NEPALI_MOBILE = /^(?:\+977|00977|977)?(9[678]\d{8})$/;
/** Indian mobiles (the fleet product): 10 digits starting 6-9, only with the country code (+91, 0091 or 91), so a bare 98… number stays Nepali. */
const INDIAN_MOBILE = /^(?:\+91|0091|91)([6-9]\d{9})$/;
/** Mongolian mobiles: 8 digits starting 5-9, with or without +976 (seed 000). */
const MONGOLIAN_MOBILE = /^(?:\+976|00976|976)?([5-9]\d{7})$/;
/** Which country's mobile numbers a surface accepts. */
export type PhoneRegion = 'NP' | 'MN';
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/**
 * What an API documents and validates for each kind of identifier, as one pattern each (OpenAPI
 * `pattern` and zod's check are the same RegExp): every string a pattern matches is one
 * parseIdentifier accepts, with spaces or hyphens between the digits, so a request valid by the
 * document is never refused for its phone or e-mail. ASCII classes only (`[0-9]`, not `\d`).
 */
const SEP = '[ -]?';
const digitsAfter = (first: string, count: number) => `${first}(?:${SEP}[0-9]){${count}}`;
export const NEPALI_MOBILE_PATTERN = `(?:\\+977|00977|977)?${SEP}9${SEP}${digitsAfter('[678]', 8)}`;
export const INDIAN_MOBILE_PATTERN = `(?:\\+91|0091|91)${SEP}${digitsAfter('[6-9]', 9)}`;
export const MONGOLIAN_MOBILE_PATTERN = `(?:\\+976|00976|976)?${SEP}${digitsAfter('[5-9]', 7)}`;
export const EMAIL_PATTERN = '[A-Za-z0-9_+-](?:[A-Za-z0-9_.+-]{0,62}[A-Za-z0-9_+-])?@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}';
/** `^(a|b)$` of the given patterns. */
export const anchored = (...patterns: string[]) => new RegExp(`^(?:${patterns.join('|')})$`);

/** `+977 981-2345678`, `009779812345678`, `9812345678`, `User@Mail.com` → normalised; null if neither. */
export function parseIdentifier(raw: string, region: PhoneRegion = 'NP'): Identifier | null {
  const input = raw.trim();
  if (input.includes('@')) {
    const email = input.toLowerCase();
    return email.length <= 254 && EMAIL.test(email) ? { value: email, channel: 'email' } : null;
  }
  const digits = input.replace(/[\s\-().]/g, '');
  if (region === 'MN') {
    const mn = MONGOLIAN_MOBILE.exec(digits);
    return mn ? { value: `+976${mn[1]}`, channel: 'sms' } : null;
  }
  const indian = INDIAN_MOBILE.exec(digits);
  if (indian) return { value: `+91${indian[1]}`, channel: 'sms' };
  const match = NEPALI_MOBILE.exec(digits);
  return match ? { value: `+977${match[1]}`, channel: 'sms' } : null;
}

/** +9779812345678 → 9812345678 (Sparrow's `to`). */
export function localNepaliNumber(e164: string): string {
  return e164.startsWith('+977') ? e164.slice(4) : e164;
}

/** For responses and logs: +977981*****78, ra***@mail.com. */
export function maskIdentifier(value: string): string {
  if (value.includes('@')) {
    const [user, domain] = value.split('@');
    return `${user.slice(0, 2)}${'*'.repeat(Math.max(user.length - 2, 1))}@${domain}`;
  }
  return `${value.slice(0, 7)}${'*'.repeat(Math.max(value.length - 9, 1))}${value.slice(-2)}`;
}
