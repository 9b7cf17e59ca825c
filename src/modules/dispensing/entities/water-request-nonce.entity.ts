import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A signed station request's nonce, remembered for the 5-minute window of its timestamp (a second use is a replay). */
@Entity({ tableName: 'water_request_nonces' })
export class WaterRequestNonce {
  @PrimaryKey({ type: 'string', length: 64 })
  stationId!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  nonce!: string;

  @Index({ name: 'water_request_nonces_seen_index' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  seenAt: Date = new Date();
}
