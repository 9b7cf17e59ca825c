import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A promotional banner of the app's home screen, shown while active and inside its date window. */
@Entity({ tableName: 'banners' })
export class Banner {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 160 })
  title!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  subtitle?: string | null;

  @Property({ type: 'string', length: 1024 })
  imageUrl!: string;

  @Property({ type: 'string', length: 1024, nullable: true })
  redirectUrl?: string | null;

  @Property({ type: 'integer', default: 0 })
  sortOrder: number = 0;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'datetime', nullable: true })
  startsAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  endsAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
