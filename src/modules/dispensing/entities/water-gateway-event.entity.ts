import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * What the outside systems sent us: Daraja callbacks, Paystack webhooks and returns, Africa's
 * Talking delivery reports, each with what we made of it (`outcome`, `reason`). `dedupeKey` makes
 * a repeated webhook count once.
 */
@Entity({ tableName: 'water_gateway_events' })
export class WaterGatewayEvent {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'string', length: 24 })
  source!: string;

  @Property({ type: 'string', length: 200, nullable: true, unique: true })
  dedupeKey?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  transactionReference?: string | null;

  @Property({ type: 'string', length: 16 })
  outcome!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  reason?: string | null;

  @Property({ type: 'json', nullable: true })
  body?: unknown;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
