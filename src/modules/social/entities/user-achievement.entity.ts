import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An unlock: one per user and achievement (the primary key), its points reward posted in the same transaction. */
@Entity({ tableName: 'user_achievements' })
export class UserAchievement {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'uuid' })
  achievementId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  unlockedAt: Date = new Date();

  @Property({ type: 'integer', default: 0 })
  pointsAwarded: number = 0;
}
