/** Percentile of a sample (nearest rank); 0 for an empty one. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns the wall time in ms. */
export async function runPool(n: number, concurrency: number, task: (i: number, lane: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async (_, lane) => {
      for (let i = next++; i < n; i = next++) await task(i, lane);
    }),
  );
  return Date.now() - started;
}

export const rate = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
