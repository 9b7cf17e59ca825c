import type { TestStack } from './stack';

/** Raw SQL against the run's database through the stack's ORM (a fork, so no identity map is shared). */
export const sql = <T = Record<string, any>>(stack: TestStack, text: string, params: unknown[] = []) =>
  stack.orm.em.fork().getConnection().execute<T[]>(text, params);
