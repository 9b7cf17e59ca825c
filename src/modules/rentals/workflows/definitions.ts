import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PaymentMode } from '../../ledger';
import type { RentalRules, Settlement } from '../rules/rules';
import type { PaymentModel } from '../rules/status';

/** Workflow id from the business key: one workflow per rental, ever. */
export const rentalWorkflowId = (rentalId: string) => `rental:${rentalId}`;

/** A package's terms; `currency` is absent in rentals started before it was carried (see rules/currency.ts). */
export interface RentalPackageTerms {
  id: string;
  name: string;
  durationMinutes: number;
  priceMinor: number;
  currency?: string;
}

export interface RentalInput {
  rentalId: string;
  userId: string;
  stationSn: string;
  slot: number;
  powerBankSn: string;
  paymentModel: PaymentModel;
  paymentMode: PaymentMode;
  pkg: RentalPackageTerms;
  /** power_banks.price_minor: charged when it counts as lost. */
  powerBankPriceMinor: number;
  rules: RentalRules;
  ejectTimeoutMs: number;
  /** Watch of the bay after an eject timeout (RENTAL_EJECT_WATCH_*); absent in rentals started before it existed. */
  ejectWatch?: { minutes: number; intervalSeconds: number };
}

export type EjectFailureCode = 'DEVICE_TIMEOUT' | 'DEVICE_ERROR' | 'INSUFFICIENT_BALANCE' | 'EJECT_FAILED' | 'CANCELLED';
export type EjectResult =
  | { ok: true; slot: number; powerBankSn: string; startedAt: number; dueAt: number; paidMinor: number }
  | { ok: false; code: EjectFailureCode; reason: string; refunded: boolean; shortfallMinor?: number };

/** A kiosk's `returned` event, forwarded by the MQTT bridge. */
/** `reportedAt`: when the kiosk says the power bank went back in (its own clock, epoch ms), if it said. */
export interface ReturnEvent {
  eventId: string;
  stationSn: string;
  slot: number | null;
  powerBankSn: string;
  batteryLevel?: number | null;
  reportedAt?: number | null;
}

export interface ExtendRequest extends RentalPackageTerms {
  requestedBy: string;
  /** The client sent an Idempotency-Key (the update id dedupes it); without one the workflow dedupes repeats. */
  keyed?: boolean;
}
export interface ExtendResult {
  dueAt: number;
  extensions: number;
  chargedMinor: number;
  priceCapMinor: number;
}
export interface CancelResult {
  status: 'cancelling';
  returnBy: number;
}

export type RentalPhase = 'ejecting' | 'active' | 'overdue' | 'cancelling' | 'settling' | 'completed' | 'cancelled' | 'failed' | 'lost' | 'resolved';

export interface RentalSnapshot {
  rentalId: string;
  phase: RentalPhase;
  startedAt?: number;
  dueAt?: number;
  extensions: number;
  paidMinor: number;
  eject?: EjectResult;
  settlement?: Settlement & { dueMinor: number };
}

/** The outcome of the ejection; the start API waits on it. */
export const ejectUpdate = defineUpdate<EjectResult>('eject');
/** Pays (pre-payment) and adds a package's time; fails with the shortfall. */
export const extendUpdate = defineUpdate<ExtendResult, [ExtendRequest]>('extend');
/** Free cancel within the window if the power bank goes back in time (rules.ts). */
export const cancelUpdate = defineUpdate<CancelResult, [{ requestedBy: string }]>('cancel');
export const returnedSignal = defineSignal<[ReturnEvent]>('returned');
export const rentalStatusQuery = defineQuery<RentalSnapshot>('status');

/** `rental:<id>`: one power-bank rental from the eject command to the settlement. */
export type RentalWorkflow = (input: RentalInput) => Promise<RentalSnapshot>;

/**
 * The workflow type new rentals start: the second version (local activities, settlement in one,
 * update-with-start). Runs of the first, `rentalWorkflow`, finish on their own code; both answer
 * the same signals, updates and queries under the same `rental:<id>` id.
 */
export const RENTAL_WORKFLOW_TYPE = 'rentalV2Workflow';

/** One run of the rental sweeper: rentals left `starting` without a workflow. */
export type RentalSweepWorkflow = () => Promise<{ scanned: number; notStarted: number; parked: number }>;

export const rentalSweepScheduleId = (taskQueue: string) => `rental-sweeper:${taskQueue}`;

export { rentalKeys } from '../rules/keys';
