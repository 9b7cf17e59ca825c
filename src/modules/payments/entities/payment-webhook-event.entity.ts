import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A verified gateway notification, stored once per (gateway, event id) so repeats are dropped. */
@Entity({ tableName: 'payment_webhook_events' })
@Unique({ name: 'payment_webhook_events_gateway_event_id_unique', properties: ['gateway', 'eventId'] })
export class PaymentWebhookEvent {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 16 })
  gateway!: string;

  @Property({ type: 'string', length: 200 })
  eventId!: string;

  @Property({ type: 'uuid', nullable: true })
  intentId?: string | null;

  @Property({ type: 'string', length: 128, nullable: true })
  gatewayRef?: string | null;

  @Property({ type: 'string', length: 16 })
  status!: string;

  @Property({ type: 'json', nullable: true })
  payload?: Record<string, unknown> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  receivedAt: Date = new Date();
}
