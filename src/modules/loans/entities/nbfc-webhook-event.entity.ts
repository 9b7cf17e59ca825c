import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An NBFC status webhook, kept once per event id (duplicates change nothing). Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_nbfc_webhook_events' })
export class FleetNbfcWebhookEvent {
  @PrimaryKey({ type: 'string' })
  eventId!: string;

  @Property({ type: 'integer' })
  applicationId!: number;

  @Property({ type: 'string' })
  status!: string;
}
