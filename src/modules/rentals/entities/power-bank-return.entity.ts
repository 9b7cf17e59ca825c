import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * `after_failure`: back after a failed eject let it go (rentals.review_reason); `rental_id` names that rental.
 * `refused`: a return that cannot be true (`refusal_reason`); it changed nothing.
 */
export const RETURN_OUTCOMES = ['matched', 'unmatched', 'duplicate', 'after_failure', 'refused'] as const;
export type ReturnOutcome = (typeof RETURN_OUTCOMES)[number];

/**
 * Every `returned` event a kiosk published, once per (station, event id): matched to the open
 * rental it ended, a duplicate of a return already settled, or unmatched (no open rental) for admins.
 */
@Entity({ tableName: 'power_bank_returns' })
@Unique({ properties: ['stationSn', 'eventId'] })
export class PowerBankReturn {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 128 })
  eventId!: string;

  @Property({ type: 'string', length: 64 })
  stationSn!: string;

  @Property({ type: 'integer', nullable: true })
  slotIndex?: number | null;

  @Property({ type: 'string', length: 64 })
  powerBankSn!: string;

  @Property({ type: 'integer', nullable: true })
  batteryLevel?: number | null;

  @Property({ type: 'uuid', nullable: true })
  rentalId?: string | null;

  @Property({ type: 'string', length: 16 })
  outcome!: ReturnOutcome;

  @Property({ type: 'string', length: 200, nullable: true })
  refusalReason?: string | null;

  @Property({ type: 'json', nullable: true })
  payload?: Record<string, unknown> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  receivedAt: Date = new Date();
}
