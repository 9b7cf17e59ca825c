import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

/** Personal data of a user beyond the login identifiers kept in `users`. One row per user. */
@Entity({ tableName: 'user_profiles' })
export class UserProfile {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 120, nullable: true })
  fullName?: string | null;

  /** ISO date (YYYY-MM-DD). */
  @Property({ type: 'date', nullable: true })
  dateOfBirth?: string | null;

  @Property({ type: 'string', length: 16, nullable: true })
  gender?: Gender | null;

  @Property({ type: 'string', length: 1024, nullable: true })
  avatarUrl?: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  addressLine?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  city?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  district?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  province?: string | null;

  @Property({ type: 'string', length: 16, nullable: true })
  postalCode?: string | null;

  @Property({ type: 'string', length: 2, default: 'NP' })
  countryCode: string = 'NP';

  @Property({ type: 'string', length: 8, default: 'en' })
  preferredLanguage: string = 'en';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
