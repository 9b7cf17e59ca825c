import { z } from 'zod';

/** A docked power bank counts as charged (rentable) from this battery level, in percent, unless RENTAL_MIN_BATTERY_PERCENT says otherwise. */
export const DEFAULT_MIN_BATTERY_PERCENT = 20;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Rental rules (seed 001 "Rental Flow" / "Return Flow"). Merged into the main config schema;
 * every value has a default that works locally.
 */
export const rentalConfigShape = {
  /** A power bank counts as charged (rentable) from this battery level, in percent; station lists count `available` power banks with the same value. */
  RENTAL_MIN_BATTERY_PERCENT: z.coerce.number().int().min(0).max(100).default(DEFAULT_MIN_BATTERY_PERCENT),
  /** The Time Alert goes out this long before the due time. */
  RENTAL_TIME_ALERT_MINUTES: positiveInt(15),
  /** Overdue fines: this much per started period after the due time ... */
  RENTAL_FINE_PER_PERIOD_MINOR: positiveInt(500),
  RENTAL_FINE_PERIOD_MINUTES: positiveInt(15),
  /** ... up to this cap; at the cap the power bank counts as lost and its price is charged. */
  RENTAL_FINE_CAP_MINOR: positiveInt(20_000),
  /** Post-payment usage is billed per started period (the package price spread over its duration). */
  RENTAL_USAGE_PERIOD_MINUTES: positiveInt(15),
  /** A cancel may be asked this long after the ejection ... */
  RENTAL_CANCEL_WINDOW_MINUTES: positiveInt(5),
  /** ... and is free if the power bank is back within this long after the request. */
  RENTAL_CANCEL_RETURN_MINUTES: positiveInt(10),
  /** After an eject timed out (rental failed, refunded), the bay is watched this long for a kiosk report that it let the power bank go ... */
  RENTAL_EJECT_WATCH_MINUTES: positiveInt(10),
  /** ... looking every this many seconds (kiosks send a heartbeat every 30 s). */
  RENTAL_EJECT_WATCH_INTERVAL_SECONDS: positiveInt(30),
  /** How often the rental sweeper (`rental-sweeper:<task queue>`) looks for rentals left `starting` without a workflow. */
  RENTAL_SWEEP_INTERVAL_SECONDS: positiveInt(60),
  /** A rental still `starting` this long after its row was written is checked by the sweeper. */
  RENTAL_START_GRACE_SECONDS: positiveInt(120),
};
