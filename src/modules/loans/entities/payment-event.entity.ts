import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A Razorpay payment webhook for an EMI, kept once per event id (and once per payment id). Read and written in SQL. */
@Entity({ tableName: 'fleet_payment_events' })
export class FleetPaymentEvent {
  @PrimaryKey({ type: 'string' })
  eventId!: string;

  @Property({ type: 'string' })
  paymentId!: string;

  @Property({ type: 'bigint' })
  amountPaise!: string;
}
