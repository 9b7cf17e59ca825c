import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A user's own invite code (`inviter_code`), created on first request. */
@Entity({ tableName: 'referral_codes' })
export class ReferralCode {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 16, unique: true })
  code!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
