import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notification.activities';
import type { NotificationWorkflow } from './definitions';

const { sendPush } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8, nonRetryableErrorTypes: ['PushLogMissing'] },
});
const { markPushFailed } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '10 seconds' });

/**
 * `notify:<notificationId>`: delivers one push notification whose fcm_logs row already exists.
 * Transient FCM failures are retried by Temporal; when retries run out the log is marked failed.
 */
export const notificationWorkflow: NotificationWorkflow = async function notificationWorkflow(input) {
  try {
    return await sendPush(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
    await markPushFailed({ notificationId: input.notificationId, error: cause });
    return { status: 'failed' };
  }
};
