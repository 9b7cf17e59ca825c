import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A phone that receives pushes: its FCM token and what the app reports about it. */
@Entity({ tableName: 'user_devices' })
export class UserDevice {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /** The session that registered it; logout removes the device so pushes stop. */
  @Property({ type: 'uuid', nullable: true })
  sessionId?: string | null;

  @Property({ type: 'string', length: 512, unique: true })
  fcmToken!: string;

  @Property({ type: 'string', length: 128, nullable: true })
  deviceId?: string | null;

  /** `android`, `ios` or `web`. */
  @Property({ type: 'string', length: 16 })
  platform!: string;

  @Property({ type: 'string', length: 120, nullable: true })
  model?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  osVersion?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  appVersion?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
