import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { ValveState } from '../rules/otp';
import type { OtpStatus } from '../rules/statuses';

/** The dispensing OTP of a transaction (one row, re-issues replace the hash): only a keyed hash of the code. */
@Entity({ tableName: 'water_otps' })
export class WaterOtp {
  @PrimaryKey({ type: 'string', length: 40 })
  transactionReference!: string;

  @Property({ type: 'string', length: 64 })
  otpHash!: string;

  @Property({ type: 'string', length: 16 })
  status!: OtpStatus;

  @Property({ type: 'decimal', precision: 10, scale: 3 })
  liters!: string;

  @Property({ type: 'integer' })
  pulses!: number;

  @Property({ type: 'integer', default: 0 })
  pulsesDelivered: number = 0;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'integer' })
  maxAttempts!: number;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'string', length: 64, nullable: true })
  stationId?: string | null;

  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date | null;

  @Property({ type: 'integer', default: 1 })
  issue: number = 1;

  /** What became of the station's valve after the last verify: open (acked), no_ack (the OTP stayed usable), closed. */
  @Property({ type: 'string', length: 16, nullable: true })
  valveState?: ValveState | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
