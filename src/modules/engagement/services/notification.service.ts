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

/** Sends one recorded push now (the notification activities' `sendPush`: idempotent, per-token results kept). */
export type PushDelivery = (input: { notificationId: string }) => Promise<unknown>;

/**
 * Sends a notification to a user: the `notifications` row (the in-app inbox) and, for push, an
 * `fcm_logs` row written before anything is sent; then a `notify:<id>` workflow sends the push
 * through an activity with durable retries. A repeated `dedupeKey` makes the call a no-op.
 */
export class NotificationService {
  /**
   * `deliverNow` (workers only): send the push in this process instead of starting a `notify:<id>`
   * workflow per notification; a failed inline send falls back to that workflow (durable retries).
   */
  constructor(private readonly deps: { orm: MikroORM; temporal: Client; taskQueue: string; deliverNow?: PushDelivery }) {}

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
   * Sends the push: inline when the service has `deliverNow`, else (or when the inline send fails)
   * by the `notify:<id>` workflow. If Temporal cannot be reached the fcm_logs row stays `queued`
   * (the in-app row is already saved) and the error is logged, not thrown: the push sweeper
   * (pushSweepWorkflow) starts it later.
   */
  async dispatch(recorded: RecordedNotification): Promise<void> {
    if (!recorded.push) return;
    if (this.deps.deliverNow) return this.deliverInline(recorded, this.deps.deliverNow);
    await this.startWorkflow(recorded);
  }

  /**
   * One send in this process, not awaited: the caller (a rental's step, whose workflow task and the
   * rider's start answer wait on it) goes on once the rows are committed. A failure hands the push to
   * its workflow, whose sendPush skips the devices already reached; a process that dies first leaves
   * the log `queued` or `sending`, and the push sweeper starts that workflow.
   */
  private deliverInline(recorded: RecordedNotification, deliverNow: PushDelivery): void {
    void deliverNow({ notificationId: recorded.notificationId }).catch((err: unknown) => this.fallBack(recorded, err));
  }

  /** Back to `queued` (so the sweeper still finds it should the start fail too), then its workflow. */
  private async fallBack(recorded: RecordedNotification, err: unknown): Promise<void> {
    logger.warn({ err, notificationId: recorded.notificationId }, 'inline push failed; its notify workflow retries it');
    await this.deps.orm.em
      .getConnection()
      .execute(`update fcm_logs set status = 'queued', updated_at = now() where notification_id = ? and status = 'sending'`, [recorded.notificationId], 'run')
      .catch(() => undefined);
    await this.startWorkflow(recorded);
  }

  private async startWorkflow(recorded: RecordedNotification): Promise<void> {
    try {
      await startNotifyWorkflow(this.deps.temporal, this.deps.taskQueue, recorded);
    } catch (err) {
      logger.error({ err, notificationId: recorded.notificationId }, 'push workflow not started; fcm log stays queued until the push sweeper starts it');
    }
  }
}
