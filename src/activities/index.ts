import { createDeviceActivities, type DeviceActivityDeps } from './device.activities';
import { createOtpActivities, type OtpActivityDeps } from './otp.activities';
import { createNotificationActivities, type NotificationActivityDeps } from './notification.activities';
import { createPaymentActivities, type PaymentActivityDeps } from './payment.activities';
import { createRefundActivities } from './refund.activities';
import { createLedgerActivities } from './ledger.activities';
import { createRentalActivities, type RentalActivityDeps } from './rental.activities';
import { createPushSweepActivities, type PushSweepActivityDeps } from './push-sweep.activities';
import { createEjectWatchActivities } from './eject-watch.activities';

export type ActivityDeps = DeviceActivityDeps & OtpActivityDeps & NotificationActivityDeps & PaymentActivityDeps & RentalActivityDeps & PushSweepActivityDeps;

/** All activities, built from real dependencies by the worker (or a test). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeviceActivities(deps),
    ...createOtpActivities(deps),
    ...createNotificationActivities(deps),
    ...createPaymentActivities(deps),
    ...createRefundActivities(deps),
    ...createLedgerActivities(deps),
    ...createRentalActivities(deps),
    ...createPushSweepActivities(deps),
    ...createEjectWatchActivities(deps),
  };
}
