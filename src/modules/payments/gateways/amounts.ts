/**
 * Exact conversions between integer minor units (paisa) and the decimal rupee strings eSewa
 * speaks. No floating point anywhere: strings are split and padded, integers divided with %.
 */

function assertMinor(minor: number): void {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`amount must be a non-negative integer of minor units, got ${minor}`);
}

/** 12345 → "123.45", 11000 → "110", 10050 → "100.50" (what we send to eSewa). */
export function minorToRupeeString(minor: number): string {
  assertMinor(minor);
  const rupees = Math.floor(minor / 100);
  const paisa = minor % 100;
  return paisa === 0 ? String(rupees) : `${rupees}.${String(paisa).padStart(2, '0')}`;
}

/** 100000 → "1000.0", 12345 → "123.45", 10050 → "100.5": how a Java double prints (eSewa's replies). */
export function minorToJavaDoubleString(minor: number): string {
  assertMinor(minor);
  const rupees = Math.floor(minor / 100);
  const paisa = minor % 100;
  if (paisa === 0) return `${rupees}.0`;
  if (paisa % 10 === 0) return `${rupees}.${paisa / 10}`;
  return `${rupees}.${String(paisa).padStart(2, '0')}`;
}

/**
 * "123.45" → 12345, "1000.0" → 100000, "1,000.0" → 100000, "110" → 11000. Also accepts a JSON
 * number (eSewa's status API answers total_amount as a number). Throws on anything that is not an
 * exact amount of paisa.
 */
export function rupeeStringToMinor(value: string | number): number {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim().replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`"${value}" is not a rupee amount`);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw new RangeError(`"${value}" has more precision than a paisa`);
  const minor = Number(m[1]) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`"${value}" is too large`);
  return minor;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${n} is not a rupee amount`);
  // String(123.45) is "123.45": JS prints the shortest decimal that round-trips, which is the
  // literal eSewa sent. Exponent forms only appear for absurd values and are rejected by the regex.
  return String(n);
}
