import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A code's keyed hash by id: one a station submitted (`verify`) or one the API issued (`issue`).
 * Workflow updates name the row, so neither the code nor its hash enters a workflow history.
 */
@Entity({ tableName: 'water_otp_codes' })
export class WaterOtpCode {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'string', length: 40 })
  transactionReference!: string;

  @Property({ type: 'string', length: 8 })
  kind!: 'verify' | 'issue';

  @Property({ type: 'string', length: 64 })
  codeHash!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  stationId?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
