import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const PLATFORMS = ['android', 'ios'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The newest and the oldest still supported app version of one platform. */
@Entity({ tableName: 'app_versions' })
export class AppVersion {
  @PrimaryKey({ type: 'string', length: 16 })
  platform!: Platform;

  @Property({ type: 'string', length: 32 })
  latestVersion!: string;

  @Property({ type: 'string', length: 32 })
  minimumVersion!: string;

  @Property({ type: 'string', length: 512, nullable: true })
  storeUrl?: string | null;

  @Property({ type: 'text', nullable: true })
  releaseNotes?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
