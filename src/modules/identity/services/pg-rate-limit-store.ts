import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';

/**
 * express-rate-limit store on PostgreSQL (table rate_limit_counters), so every API replica
 * counts against the same fixed window. One upsert per hit; the window restarts once it ends.
 */
export class PgRateLimitStore implements Store {
  windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly orm: MikroORM,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private exec(sql: string, params: unknown[]) {
    return this.orm.em.getConnection().execute(sql, params);
  }

  async increment(key: string): Promise<IncrementResponse> {
    const [row] = await this.exec(
      `insert into rate_limit_counters as c (key, hits, reset_at) values (?, 1, now() + make_interval(secs => ?))
       on conflict (key) do update set
         hits = case when c.reset_at <= now() then 1 else c.hits + 1 end,
         reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
       returning hits, reset_at`,
      [this.prefix + key, this.windowMs / 1000],
    );
    if (Math.random() < 0.01) void this.exec(`delete from rate_limit_counters where reset_at < now() - interval '1 hour'`, []).catch(() => undefined);
    return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
  }

  async get(key: string): Promise<IncrementResponse | undefined> {
    const [row] = await this.exec(`select hits, reset_at from rate_limit_counters where key = ? and reset_at > now()`, [this.prefix + key]);
    return row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.exec(`update rate_limit_counters set hits = greatest(hits - 1, 0) where key = ?`, [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.exec(`delete from rate_limit_counters where key = ?`, [this.prefix + key]);
  }
}
