import { createNotificationActivities, createPushSweepActivities, type NotificationActivityDeps, type PushSweepActivityDeps } from '../modules/engagement';
import { createOtpActivities, userDeviceTokens, type OtpActivityDeps } from '../modules/identity';
import { createLedgerActivities } from '../modules/ledger';
import { createPaymentActivities, createRefundActivities, type PaymentActivityDeps } from '../modules/payments';
import { createEjectWatchActivities, createRentalActivities, type RentalActivityDeps } from '../modules/rentals';
import { createDeviceActivities, type DeviceActivityDeps } from '../modules/stations';

export type ActivityDeps = DeviceActivityDeps & OtpActivityDeps & Omit<NotificationActivityDeps, 'deviceTokens'> & PaymentActivityDeps & RentalActivityDeps & PushSweepActivityDeps;

/** Every module's activities, built from real dependencies by the worker (or a test); cross-module needs wired here. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeviceActivities(deps),
    ...createOtpActivities(deps),
    ...createNotificationActivities({ ...deps, deviceTokens: userDeviceTokens }),
    ...createPaymentActivities(deps),
    ...createRefundActivities(deps),
    ...createLedgerActivities(deps),
    ...createRentalActivities(deps),
    ...createPushSweepActivities(deps),
    ...createEjectWatchActivities(deps),
  };
}
