import { randomInt } from 'node:crypto';

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1), as Math.random. */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** `length` characters of [0-9a-z]. */
  text(length: number): string;
  /** `length` decimal digits (leading zeros kept). */
  digits(length: number): string;
}

/** mulberry32: a small, well-spread 32-bit generator; the same seed gives the same sequence. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    text: (length) => Array.from({ length }, () => int(36).toString(36)).join(''),
    digits: (length) => Array.from({ length }, () => String(int(10))).join(''),
  };
}

let fileRandom: SeededRandom | undefined;

/**
 * The test file's random source (each test file has its own module instance, so its own seed).
 * The seed is TEST_SEED when set, else drawn at random, and logged on first use with the file's
 * name, so a failure can be repeated: `TEST_SEED=<seed> npx jest <that file>`. (Set TEST_SEED for
 * one file at a time: two files with one seed would draw the same names.)
 */
export function testRandom(): SeededRandom {
  if (!fileRandom) {
    const seed = process.env.TEST_SEED ? Number(process.env.TEST_SEED) : randomInt(2 ** 31);
    if (!Number.isInteger(seed)) throw new Error(`TEST_SEED must be an integer, not ${process.env.TEST_SEED}`);
    fileRandom = seededRandom(seed);
    const file = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath ?? 'this test file';
    console.log(`random data of ${file}: seed ${seed} (repeat with TEST_SEED=${seed})`);
  }
  return fileRandom;
}
