import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The last OTP challenge per identifier. A new request replaces the row only when the last one
 * is older than the resend cooldown (one conditional upsert, so concurrent requests cannot both win).
 */
@Entity({ tableName: 'otp_request_gates' })
export class OtpRequestGate {
  @PrimaryKey({ type: 'string', length: 254 })
  identifier!: string;

  @Property({ type: 'uuid' })
  challengeId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  requestedAt: Date = new Date();
}
