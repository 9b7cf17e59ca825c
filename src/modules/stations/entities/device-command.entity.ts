import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Audit of every command sent to a device and what came back. */
@Entity({ tableName: 'device_commands' })
export class DeviceCommand {
  /** The correlation id carried in the MQTT message. */
  @PrimaryKey({ type: 'string', length: 128 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 64 })
  stationSn!: string;

  @Property({ type: 'string', length: 32 })
  type!: string;

  @Property({ type: 'json', nullable: true })
  payload?: Record<string, unknown> | null;

  /** `sent`, `acked`, `failed` or `timeout`. */
  @Property({ type: 'string', length: 16, default: 'sent' })
  status: string = 'sent';

  @Property({ type: 'string', length: 255, nullable: true })
  error?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  requestedBy?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
