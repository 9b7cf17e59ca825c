import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One SMS sent through Africa's Talking (never its text: it carries a code), updated by delivery reports. */
@Entity({ tableName: 'water_sms_log' })
export class WaterSms {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'string', length: 80, nullable: true, unique: true })
  messageId?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  transactionReference?: string | null;

  @Property({ type: 'string', length: 20 })
  phoneNumber!: string;

  @Property({ type: 'string', length: 24 })
  status!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  failureReason?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
