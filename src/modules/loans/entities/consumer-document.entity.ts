import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A KYC document a dealer attached to a consumer (type and URL). Read and written in SQL by the loans services; mapped for the table map. */
@Entity({ tableName: 'fleet_consumer_documents' })
export class FleetConsumerDocument {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'integer' })
  consumerId!: number;

  @Property({ type: 'string' })
  documentType!: string;

  @Property({ type: 'string' })
  documentUrl!: string;
}
