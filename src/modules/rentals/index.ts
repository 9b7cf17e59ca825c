/**
 * Rentals: a rider's power-bank rental from start to settlement (the `rental:<id>` workflow: eject,
 * return timers and fines, settlement, the watch after a lost eject ack), rental packages and
 * payment options, dues, the return handler for kiosks' `returned` events, and the reviews admins
 * close. Power banks move through the stations module's inventory; money through the ledger.
 */
export { rentalsEntities } from './entities';
export { RETURN_OUTCOMES, type ReturnOutcome } from './entities/power-bank-return.entity';
export { REVIEW_REASONS, REVIEW_RESOLUTIONS, type ReviewReason, type ReviewResolution } from './rules/review';
export {
  ISSUE_TYPES,
  PAYMENT_MODELS,
  RENTAL_PAYMENT_STATUSES,
  RENTAL_STATUSES,
  type PaymentModel,
  type RentalPaymentStatus,
  type RentalStatus,
} from './rules/status';
export { rulesFromConfig, type RentalRules } from './rules/rules';
export { rentalKeys } from './rules/keys';

export { RentalStartService } from './services/rental-start.service';
export { RentalActionsService } from './services/rental-actions.service';
export { RentalReadService } from './services/rental-read.service';
export { RentalReviewService } from './services/rental-review.service';
export { RentalDuesService } from './services/dues.service';
export { PaymentOptionsService, type Scenario } from './services/payment-options.service';
export { listRentalPackages } from './services/packages';
export { handleReturnedEvent } from './services/returns';
export { settleReturnsSeenInHeartbeat } from './services/heartbeat-returns';
export { rentalClosureChecks } from './services/account-closure';
export { rentalCount } from './services/rental-read.service';
export { openRentalBays } from './services/station-bays';
export { rentalsAttention, RENTAL_RUN_KINDS } from './services/rental-attention';

export { createRentalActivities, type RentalActivities, type RentalActivityDeps } from './activities/rental.activities';
export { createEjectWatchActivities, type EjectWatchActivities } from './activities/eject-watch.activities';
export { createRentalSettlementActivities, type RentalSettlementDeps } from './activities/rental-settlement.activities';
export * from './workflows/definitions';
export { ensureRentalSweepSchedule } from './services/rental-sweep-schedule';
export { createRentalSweepActivities, type RentalSweepActivities, type RentalSweepActivityDeps } from './activities/rental-sweep.activities';
export { rentalAnalytics, type RentalAnalytics } from './services/rental-analytics';
