import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { logger } from '../../../kernel/logger';
import { startNotifyWorkflow } from './notify-workflow';

export { notifyWorkflowId } from './notify-workflow';

export const NOTIFICATION_CHANNELS = ['in_app', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export interface NotificationMessage {
  /** e.g. profile_reminder, kyc_approved, kyc_rejected, rental_time_alert, payment_status, reward. */
  type: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

export interface RecordedNotification {
  notificationId: string;
  userId: string;
  push: boolean;
}

/**
 * Sends a notification to a user: the `notifications` row (the in-app inbox) and, for push, an
 * `fcm_logs` row written before anything is sent; then a `notify:<id>` workflow sends the push
 * through an activity with durable retries. A repeated `dedupeKey` makes the call a no-op.
 */
export class NotificationService {
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; taskQueue: string }) {}

  async notify(userId: string, message: NotificationMessage, channels: NotificationChannel[] = ['in_app'], opts: { dedupeKey?: string } = {}) {
    const recorded = await this.deps.orm.em.fork().transactional((em) => this.record(em, userId, message, channels, opts));
    if (recorded) await this.dispatch(recorded);
    return { notification_id: recorded?.notificationId ?? null, created: !!recorded };
  }

  /** Writes the rows inside the caller's transaction; call dispatch() after it commits. Null when deduplicated. */
  async record(
    em: EntityManager,
    userId: string,
    message: NotificationMessage,
    channels: NotificationChannel[],
    opts: { dedupeKey?: string } = {},
  ): Promise<RecordedNotification | null> {
    const id = randomUUID();
    const push = channels.includes('push');
    const conn = em.getConnection();
    const trx = em.getTransactionContext();
    const data = JSON.stringify(message.data ?? {});
    const inserted = await conn.execute<{ id: string }[]>(
      `insert into notifications (id, user_id, type, title, body, data, in_app, push, dedupe_key) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
       on conflict (dedupe_key) do nothing returning id`,
      [id, userId, message.type, message.title, message.body, data, channels.includes('in_app'), push, opts.dedupeKey ?? null],
      'all',
      trx,
    );
    if (!inserted.length) return null;
    if (push) {
      await conn.execute(
        `insert into fcm_logs (id, notification_id, user_id, title, body, data, status) values (?, ?, ?, ?, ?, ?::jsonb, 'queued')`,
        [randomUUID(), id, userId, message.title, message.body, data],
        'run',
        trx,
      );
    }
    return { notificationId: id, userId, push };
  }

  /**
   * Starts the push workflow. If Temporal cannot be reached the fcm_logs row stays `queued`
   * (the in-app row is already saved) and the error is logged, not thrown: the push sweeper
   * (pushSweepWorkflow) starts it later.
   */
  async dispatch(recorded: RecordedNotification): Promise<void> {
    if (!recorded.push) return;
    try {
      await startNotifyWorkflow(this.deps.temporal, this.deps.taskQueue, recorded);
    } catch (err) {
      logger.error({ err, notificationId: recorded.notificationId }, 'push workflow not started; fcm log stays queued until the push sweeper starts it');
    }
  }
}
