/**
 * Engagement: notifications (in-app inbox and FCM push with its sweeper), media uploads, app
 * content (pages, FAQ, banners, app versions, countries). Other modules notify users through
 * NotificationService (or the notifyUser activity) and check uploads with assertOwnUploads.
 */
export { engagementEntities } from './entities';
export { PLATFORMS, type Platform } from './entities/app-version.entity';
export { CONTENT_PAGES, type ContentPageSlug } from './entities/content-page.entity';
export { UPLOAD_PURPOSES, type UploadPurpose, type MediaKind } from './entities/media-upload.entity';
export { FCM_LOG_STATUSES, type FcmLogStatus } from './entities/fcm-log.entity';
export { compareVersions, VERSION_PATTERN } from './rules/app-version-rules';
export { COUNTRIES, COUNTRY_CODES, type Country } from './rules/countries';

export { AppInfoService } from './services/app-info.service';
export { ContentService } from './services/content.service';
export { NotificationInboxService } from './services/notification-inbox.service';
export {
  NotificationService,
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationMessage,
  type RecordedNotification,
  type PushDelivery,
} from './services/notification.service';
export { UploadService, assertOwnUploads, createMediaStorage } from './services/upload.service';
export { fileTooLarge, type IncomingFile } from './media/incoming';
export { PrivateMediaService } from './services/private-media.service';
export { PrivateMediaLinks } from './media/private-links';
export { startClamdSandbox, EICAR, type ClamdSandbox } from './media/clamd-sandbox';
export { LocalMediaStorage } from './media/local-storage';
export type { MediaStorage } from './media/storage';
export { ensurePushSweepSchedule, pushSweepScheduleId, type PushSweepScheduleSetup } from './services/push-sweep-schedule';
export { eraseEngagementData, unreadNotificationCount } from './services/erasure';

export { createPushSender, recordingPushSender, PushSendError, type PushSender, type PushMessage } from './push';
export type { DeviceTokenSource } from './push/device-tokens';
export { startFcmSandbox, type FcmSandbox, type SandboxPush } from './push/fcm-sandbox';
export { startCloudinarySandbox } from './media/cloudinary/sandbox';

export { createNotificationActivities, type NotificationActivities, type NotificationActivityDeps } from './activities/notification.activities';
export { createBroadcastPushActivities, type BroadcastPushActivities } from './activities/broadcast-push.activities';
export { createPushSweepActivities, type PushSweepActivities, type PushSweepActivityDeps } from './activities/push-sweep.activities';
export { notifyWorkflowId, type NotificationWorkflow, type NotificationWorkflowInput, type PushSweepWorkflow } from './workflows/definitions';
export { BroadcastService, type BroadcastRequest } from './services/broadcast.service';
export {
  createBroadcastActivities,
  type BroadcastActivities,
  type BroadcastActivityDeps,
  type BroadcastAudience,
  type BroadcastPushable,
  type BroadcastSegment,
} from './activities/broadcast.activities';
export { broadcastWorkflowId, BROADCAST_PROGRESS_QUERY, type BroadcastProgress, type BroadcastWorkflow } from './workflows/definitions';
