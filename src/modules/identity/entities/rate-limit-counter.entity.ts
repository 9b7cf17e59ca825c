import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Fixed-window hit counters shared by every API replica (express-rate-limit store). */
@Entity({ tableName: 'rate_limit_counters' })
export class RateLimitCounter {
  @PrimaryKey({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'integer' })
  hits!: number;

  @Property({ type: 'datetime' })
  resetAt!: Date;
}
