import type { MikroORM } from '@mikro-orm/postgresql';

/** Raw SQL bound to one transaction (or none): the identity services' atomic statements. */

export type Execute = (sql: string, params?: unknown[]) => Promise<any[]>;

export function executor(orm: MikroORM, trx?: unknown): Execute {
  const conn = orm.em.getConnection();
  return (sql, params = []) => conn.execute(sql, params, 'all', trx as never);
}

/** Runs `fn` in one transaction; it gets an executor bound to it. */
export function inTransaction<T>(orm: MikroORM, fn: (tx: Execute) => Promise<T>): Promise<T> {
  return orm.em.getConnection().transactional((trx) => fn(executor(orm, trx)));
}

/** True for a unique violation of `constraint` (PostgreSQL 23505). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return !constraint || e.constraint === constraint || (e.message ?? '').includes(constraint);
}

/** How many rows a statement touched, however the connection answered (`all`: the rows; `run`: a result with `affectedRows`). */
export function rowCount(res: unknown): number {
  if (Array.isArray(res)) return res.length;
  const r = res as { affectedRows?: number; rows?: unknown[] } | undefined;
  return r?.affectedRows ?? r?.rows?.length ?? 0;
}
