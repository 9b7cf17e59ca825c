/**
 * Money as integer minor units, formatted in one place. Currencies have 2 decimals unless listed
 * otherwise (points, PTS, have none). Every amount that crosses the API is a decimal string like "123.45".
 */
export const CURRENCY_DECIMALS: Record<string, number> = { NPR: 2, KES: 2, INR: 2, MNT: 2, USD: 2, PTS: 0 };

export const decimalsOf = (currency?: string): number => (currency ? CURRENCY_DECIMALS[currency.toUpperCase()] : undefined) ?? 2;

/** 12345 → "123.45" (two decimals); -5 → "-0.05"; 7 → "7" (PTS). */
export function formatMinor(minor: number | bigint | string, currency?: string): string {
  const value = BigInt(minor);
  const d = decimalsOf(currency);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  if (d === 0) return `${negative ? '-' : ''}${abs}`;
  const unit = 10n ** BigInt(d);
  const whole = abs / unit;
  const frac = (abs % unit).toString().padStart(d, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export class MoneyFormatError extends Error {}

/**
 * "123.45" / 123.45 / "100" → 12345 / 12345 / 10000 minor units. Refuses more decimals than the
 * currency has, exponents, and anything that is not a finite plain decimal.
 */
export function parseMajor(input: string | number, currency?: string): number {
  const d = decimalsOf(currency);
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new MoneyFormatError('amount must be a finite number');
    const scaled = input * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6) throw new MoneyFormatError(`amount has more than ${d} decimals`);
    text = (Math.round(scaled) / 10 ** d).toFixed(d);
  } else {
    text = input.trim();
  }
  const m = /^(-)?(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new MoneyFormatError('amount must be a decimal number like "100.50"');
  const [, sign, whole, frac = ''] = m;
  if (frac.length > d && /[1-9]/.test(frac.slice(d))) throw new MoneyFormatError(`amount has more than ${d} decimals`);
  const minor = Number(whole) * 10 ** d + Number((frac.slice(0, d) || '0').padEnd(d, '0'));
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError('amount is too large');
  return sign ? -minor : minor;
}

/** Numbers that come back from PostgreSQL bigint/numeric columns as strings. */
export const toInt = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
