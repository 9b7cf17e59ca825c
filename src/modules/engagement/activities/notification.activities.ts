import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { FcmLog } from '../entities';
import type { FcmLogStatus, FcmTokenResult } from '../entities/fcm-log.entity';
import type { DeviceTokenSource } from '../push/device-tokens';
import { PushSendError, recordingPushSender, toFcmData, type PushSender } from '../push';
import { NotificationService, type NotificationChannel, type NotificationMessage } from '../services/notification.service';

export interface NotificationActivityDeps {
  orm: MikroORM;
  /** Defaults to the recorder (no Firebase credentials): pushes are logged as `recorded`. */
  push?: PushSender;
  /** Where the user's device tokens come from (identity's device registry). */
  deviceTokens: DeviceTokenSource;
}

const FINAL: FcmLogStatus[] = ['sent', 'partial', 'recorded', 'no_device', 'failed'];

/** Push delivery. Idempotent: a retried sendPush skips devices already reached and finished logs. */
export function createNotificationActivities({ orm, push = recordingPushSender, deviceTokens }: NotificationActivityDeps) {
  return {
    async sendPush(input: { notificationId: string }): Promise<{ status: FcmLogStatus }> {
      const em = orm.em.fork();
      const log = await em.findOne(FcmLog, { notificationId: input.notificationId });
      if (!log) throw ApplicationFailure.nonRetryable(`no fcm_logs row for notification ${input.notificationId}`, 'PushLogMissing');
      if (FINAL.includes(log.status)) return { status: log.status };
      log.attempts += 1;
      log.tokens = await deviceTokens(em, log.userId);
      if (push.mode === 'record' || !log.tokens.length) {
        log.status = push.mode === 'record' ? 'recorded' : 'no_device';
        await em.flush();
        return { status: log.status };
      }
      log.status = 'sending';
      await em.flush();

      const results: Record<string, FcmTokenResult> = { ...log.results };
      let transient: PushSendError | Error | undefined;
      const data = toFcmData({ ...log.data, notification_id: log.notificationId });
      for (const token of log.tokens) {
        if (results[token]) continue; // reached, or dead for good, on an earlier attempt
        try {
          results[token] = { status: 'sent', message_id: await push.send({ token, title: log.title, body: log.body, data }) };
        } catch (err) {
          if (err instanceof PushSendError && err.permanent) results[token] = { status: 'failed', error: err.code };
          else transient = err as Error;
        }
      }
      log.results = results;
      if (transient) {
        log.error = transient.message.slice(0, 500);
        await em.flush();
        throw ApplicationFailure.retryable(`FCM send failed: ${transient.message}`, 'PushTransientError');
      }
      const sent = Object.values(results).filter((r) => r.status === 'sent').length;
      log.status = sent === log.tokens.length ? 'sent' : sent > 0 ? 'partial' : 'failed';
      log.error = sent === log.tokens.length ? null : 'some device tokens are invalid or unregistered';
      log.sentAt = sent > 0 ? new Date() : null;
      await em.flush();
      return { status: log.status };
    },

    async markPushFailed(input: { notificationId: string; error: string }): Promise<void> {
      await orm.em
        .fork()
        .nativeUpdate(FcmLog, { notificationId: input.notificationId, status: { $nin: FINAL } }, { status: 'failed', error: input.error.slice(0, 500) });
    },

    /**
     * For workflows of other modules (rentals, payments, rewards): records the notification and
     * starts its `notify:<id>` push workflow. Pass a dedupeKey derived from the cause so a retry
     * of this activity notifies once.
     */
    async notifyUser(input: { userId: string; message: NotificationMessage; channels: NotificationChannel[]; dedupeKey?: string }) {
      const ctx = Context.current();
      const service = new NotificationService({ orm, temporal: ctx.client, taskQueue: ctx.info.taskQueue });
      return service.notify(input.userId, input.message, input.channels, { dedupeKey: input.dedupeKey });
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
