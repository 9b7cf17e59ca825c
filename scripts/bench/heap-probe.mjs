// Preloaded into a bench child (`node --expose-gc --import`): on SIGUSR2 it appends one JSON line
// to BENCH_HEAP_PROBE_FILE with process.memoryUsage() before and after a full garbage collection,
// so a bench can tell live heap (what a leak grows) from memory V8 or malloc has not given back.
import fs from 'node:fs';

const file = process.env.BENCH_HEAP_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const after = process.memoryUsage();
    fs.appendFileSync(file, `${JSON.stringify({ before, after })}\n`);
  });
}
