import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One cause of social progress (`rental:<id>`, `referral:<inviteeId>`, `topup:<intentId>`, `achievement:<id>:<userId>`), counted once; the leaderboard of a period sums them. */
@Entity({ tableName: 'social_events' })
export class SocialEvent {
  @PrimaryKey({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 16 })
  kind!: string;

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

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date = new Date();
}
