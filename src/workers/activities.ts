import { surfaceProfile } from '../config';
import {
  createBroadcastActivities,
  createBroadcastPushActivities,
  createNotificationActivities,
  createPushSweepActivities,
  type NotificationActivityDeps,
  type PushSweepActivityDeps,
} from '../modules/engagement';
import { broadcastRecipients, createOtpActivities, userDeviceTokens, usersWithDevices, type OtpActivityDeps } from '../modules/identity';
import { createLedgerActivities } from '../modules/ledger';
import { createGatewayActivities, createPaymentActivities, createRefundActivities, type PaymentActivityDeps } from '../modules/payments';
import {
  createEjectWatchActivities,
  createRentalActivities,
  createRentalSettlementActivities,
  createRentalSweepActivities,
  type RentalActivityDeps,
} from '../modules/rentals';
import { createDeviceActivities, type DeviceActivityDeps } from '../modules/stations';
import { createSocialActivities } from '../modules/social';
import { createDispensingActivities, createDispensingGatewayActivities, createWaterGateways } from '../modules/dispensing';
import { createLoanActivities } from '../modules/loans';
import { createChargingActivities } from '../modules/charging';

export type ActivityDeps = DeviceActivityDeps &
  Omit<OtpActivityDeps, 'brand'> &
  Omit<NotificationActivityDeps, 'deviceTokens'> &
  Omit<PaymentActivityDeps, 'brand' | 'lateCheck'> &
  RentalActivityDeps &
  PushSweepActivityDeps;

/** The late-check back-off of payment intents past their TTL (README: PAYMENT_LATE_CHECK_*). */
function lateCheckPolicy(config: ActivityDeps['config']) {
  const hour = 3_600_000;
  return {
    firstMs: config.PAYMENT_LATE_CHECK_FIRST_MINUTES * 60_000,
    maxMs: config.PAYMENT_LATE_CHECK_MAX_HOURS * hour,
    giveUpMs: config.PAYMENT_LATE_CHECK_GIVE_UP_DAYS * 24 * hour,
  };
}

/** The gateway calls alone, for the worker of `<task queue>-gateways` (the payment gateways and water's Daraja, Paystack, Africa's Talking). */
export function createGatewayQueueActivities(deps: ActivityDeps) {
  return {
    ...createGatewayActivities({ ...deps, brand: surfaceProfile(deps.config, 'chargeghar').brand }),
    ...createDispensingGatewayActivities({ orm: deps.orm, config: deps.config, water: createWaterGateways(deps.config) }),
  };
}

/** Every module's activities, built from real dependencies by the worker (or a test); cross-module needs wired here. */
export function createActivities(deps: ActivityDeps) {
  // Today every money workflow serves the power-bank product; its brand and currency come from its surface's configuration.
  const { brand, currency } = surfaceProfile(deps.config, 'chargeghar');
  const ledger = createLedgerActivities({ ...deps, walletCurrency: currency });
  const social = createSocialActivities({ orm: deps.orm, timelyReturnBonusPoints: deps.config.SOCIAL_TIMELY_RETURN_BONUS_POINTS });
  const notifications = createNotificationActivities({ ...deps, deviceTokens: userDeviceTokens });
  // A rental's pushes go out from its own activities (no notify:<id> workflow each; issue 16).
  const rentalDeps = { orm: deps.orm, deliverPush: notifications.sendPush };
  return {
    ...createDeviceActivities(deps),
    ...createOtpActivities({ ...deps, brand }),
    ...notifications,
    ...createPaymentActivities({ ...deps, brand, lateCheck: lateCheckPolicy(deps.config) }),
    ...createRefundActivities(deps),
    ...ledger,
    ...createRentalActivities(rentalDeps),
    // The second rental workflow settles in one activity: the ledger's points and social progress wired in.
    ...createRentalSettlementActivities({ ...rentalDeps, awardCompletedRental: ledger.awardCompletedRental, recordRentalSettled: social.recordRentalSettled }),
    ...createPushSweepActivities(deps),
    ...createEjectWatchActivities(deps),
    ...createRentalSweepActivities(deps),
    // Broadcasts reach identity's active customers, and push to their registered devices.
    ...createBroadcastActivities({ ...deps, broadcastAudience: broadcastRecipients, pushableUsers: usersWithDevices }),
    ...createBroadcastPushActivities({ ...deps, deviceTokens: userDeviceTokens }),
    ...createChargingActivities({ orm: deps.orm, config: deps.config }),
    ...social,
    // Water (seed 002): Daraja, Paystack and Africa's Talking, real or their local sandboxes as the config says.
    ...createDispensingActivities({ orm: deps.orm, config: deps.config, water: createWaterGateways(deps.config) }),
    ...createLoanActivities(deps),
  };
}
