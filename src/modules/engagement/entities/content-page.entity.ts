import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const CONTENT_PAGES = ['terms-of-service', 'privacy-policy', 'about', 'contact', 'app-updates'] as const;
export type ContentPageSlug = (typeof CONTENT_PAGES)[number];

/** A static page of the app (markdown body + structured data such as contact details). */
@Entity({ tableName: 'content_pages' })
export class ContentPage {
  @PrimaryKey({ type: 'string', length: 64 })
  slug!: ContentPageSlug;

  @Property({ type: 'string', length: 160 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'json', default: '{}' })
  data: Record<string, unknown> = {};

  @Property({ type: 'uuid', nullable: true })
  updatedBy?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
