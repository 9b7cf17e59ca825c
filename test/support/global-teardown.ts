import fs from 'node:fs';

export default async function globalTeardown() {
  const stack = (globalThis as Record<string, any>).__STACK__;
  if (!stack) return;
  await Promise.allSettled([stack.broker.stop(), stack.temporal.stop()]);
  await stack.pg.stop().catch(() => undefined);
  fs.rmSync(stack.dir, { recursive: true, force: true });
}
