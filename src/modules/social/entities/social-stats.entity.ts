import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A user's running social totals and score (the sum of their social events), for achievements and the all-time leaderboard. */
@Entity({ tableName: 'social_stats' })
export class SocialStats {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'integer', default: 0 })
  rentals: number = 0;

  @Property({ type: 'integer', default: 0 })
  timely: number = 0;

  @Property({ type: 'integer', default: 0 })
  late: number = 0;

  @Property({ type: 'integer', default: 0 })
  referrals: number = 0;

  @Property({ type: 'integer', default: 0 })
  topups: number = 0;

  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  @Property({ type: 'integer', default: 0 })
  score: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
