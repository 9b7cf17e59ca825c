import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An invitee linked to an inviter; `awarded` after the invitee's first completed rental. One per invitee. */
@Entity({ tableName: 'referrals' })
export class Referral {
  @PrimaryKey({ type: 'uuid' })
  inviteeId!: string;

  @Property({ type: 'uuid' })
  inviterId!: string;

  @Property({ type: 'string', length: 16 })
  code!: string;

  @Property({ type: 'string', length: 16, default: 'pending' })
  status: 'pending' | 'awarded' = 'pending';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  awardedAt?: Date | null;
}
