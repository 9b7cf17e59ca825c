import type { Config } from '../../../config';
import { FcmPushSender, loadServiceAccount } from './fcm.push-sender';
import { loopbackAgent } from './loopback-agent';
import { recordingPushSender, type PushSender } from './push-sender';

export * from './push-sender';

/**
 * FCM through firebase-admin when FIREBASE_SERVICE_ACCOUNT is set (FCM_SANDBOX_URL points it at
 * the local sandbox); without credentials a recorder: pushes land in fcm_logs as `recorded`.
 */
export function createPushSender(config: Pick<Config, 'FIREBASE_SERVICE_ACCOUNT' | 'FCM_SANDBOX_URL'>): PushSender {
  if (!config.FIREBASE_SERVICE_ACCOUNT) return recordingPushSender;
  const agent = config.FCM_SANDBOX_URL ? loopbackAgent(config.FCM_SANDBOX_URL) : undefined;
  return new FcmPushSender(loadServiceAccount(config.FIREBASE_SERVICE_ACCOUNT), agent);
}
