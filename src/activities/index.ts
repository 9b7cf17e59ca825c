import { createDeviceActivities, type DeviceActivityDeps } from './device.activities';
import { createNotificationActivities, type NotificationActivityDeps } from './notification.activities';

export type ActivityDeps = DeviceActivityDeps & NotificationActivityDeps;

/** All activities, built from real dependencies by the worker (or a test). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeviceActivities(deps),
    ...createNotificationActivities(deps),
  };
}
