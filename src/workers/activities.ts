import { createDeviceActivities, type DeviceActivityDeps } from '../modules/stations/activities/device.activities';
import { createOtpActivities, type OtpActivityDeps } from '../modules/identity/activities/otp.activities';
import { createNotificationActivities, type NotificationActivityDeps } from '../modules/engagement/activities/notification.activities';
import { createPaymentActivities, type PaymentActivityDeps } from '../modules/payments/activities/payment.activities';
import { createRefundActivities } from '../modules/payments/activities/refund.activities';
import { createLedgerActivities } from '../modules/ledger/activities/ledger.activities';
import { createRentalActivities, type RentalActivityDeps } from '../modules/rentals/activities/rental.activities';
import { createPushSweepActivities, type PushSweepActivityDeps } from '../modules/engagement/activities/push-sweep.activities';
import { createEjectWatchActivities } from '../modules/rentals/activities/eject-watch.activities';

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
