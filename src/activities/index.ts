import { createDeviceActivities, type DeviceActivityDeps } from './device.activities';
import { createOtpActivities, type OtpActivityDeps } from './otp.activities';
import { createNotificationActivities, type NotificationActivityDeps } from './notification.activities';

export type ActivityDeps = DeviceActivityDeps & OtpActivityDeps & NotificationActivityDeps;

/** All activities, built from real dependencies by the worker (or a test). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeviceActivities(deps),
    ...createOtpActivities(deps),
    ...createNotificationActivities(deps),
  };
}
