import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * `queued` (written before sending) → `sending` → `sent` | `partial` | `failed` | `no_device`;
 * `recorded` when no Firebase credentials are configured: the message is kept, nothing is sent.
 */
export const FCM_LOG_STATUSES = ['queued', 'sending', 'sent', 'partial', 'recorded', 'no_device', 'failed'] as const;
export type FcmLogStatus = (typeof FCM_LOG_STATUSES)[number];

export interface FcmTokenResult {
  status: 'sent' | 'failed';
  message_id?: string;
  error?: string;
}

@Entity({ tableName: 'fcm_logs' })
export class FcmLog {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', unique: true })
  notificationId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'json', default: '{}' })
  data: Record<string, unknown> = {};

  @Property({ type: 'string', length: 16, default: 'queued' })
  status: FcmLogStatus = 'queued';

  @Property({ type: 'json', default: '[]' })
  tokens: string[] = [];

  /** Per device token, so a retried send skips the devices already reached. */
  @Property({ type: 'json', default: '{}' })
  results: Record<string, FcmTokenResult> = {};

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'string', length: 500, nullable: true })
  error?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}
