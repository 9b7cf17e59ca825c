import { createDeviceActivities, type DeviceActivityDeps } from './device.activities';

export type ActivityDeps = DeviceActivityDeps;

/** All activities, built from real dependencies by the worker (or a test). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeviceActivities(deps),
  };
}
