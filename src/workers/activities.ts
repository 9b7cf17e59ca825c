import { surfaceProfile } from '../config';
import { createNotificationActivities, createPushSweepActivities, type NotificationActivityDeps, type PushSweepActivityDeps } from '../modules/engagement';
import { createOtpActivities, userDeviceTokens, type OtpActivityDeps } from '../modules/identity';
import { createLedgerActivities } from '../modules/ledger';
import { createPaymentActivities, createRefundActivities, type PaymentActivityDeps } from '../modules/payments';
import { createEjectWatchActivities, createRentalActivities, createRentalSweepActivities, type RentalActivityDeps } from '../modules/rentals';
import { createDeviceActivities, type DeviceActivityDeps } from '../modules/stations';

export type ActivityDeps = DeviceActivityDeps &
  Omit<OtpActivityDeps, 'brand'> &
  Omit<NotificationActivityDeps, 'deviceTokens'> &
  Omit<PaymentActivityDeps, 'brand'> &
  RentalActivityDeps &
  PushSweepActivityDeps;

/** Every module's activities, built from real dependencies by the worker (or a test); cross-module needs wired here. */
export function createActivities(deps: ActivityDeps) {
  // Today every money workflow serves the power-bank product; its brand and currency come from its surface's configuration.
  const { brand, currency } = surfaceProfile(deps.config, 'chargeghar');
  return {
    ...createDeviceActivities(deps),
    ...createOtpActivities({ ...deps, brand }),
    ...createNotificationActivities({ ...deps, deviceTokens: userDeviceTokens }),
    ...createPaymentActivities({ ...deps, brand }),
    ...createRefundActivities(deps),
    ...createLedgerActivities({ ...deps, walletCurrency: currency }),
    ...createRentalActivities(deps),
    ...createPushSweepActivities(deps),
    ...createEjectWatchActivities(deps),
    ...createRentalSweepActivities(deps),
  };
}
