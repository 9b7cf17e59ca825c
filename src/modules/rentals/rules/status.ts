/**
 * Lifecycle of a rental row. `needs_attention`: its workflow is parked until an admin retries or
 * resolves it; `resolved`: an admin closed it by hand.
 */
export const RENTAL_STATUSES = [
  'starting',
  'active',
  'overdue',
  'cancelling',
  'completed',
  'cancelled',
  'failed',
  'lost',
  'needs_attention',
  'resolved',
] as const;
export type RentalStatus = (typeof RENTAL_STATUSES)[number];

/** Statuses in which the user holds (or is about to hold) a power bank: one per user at a time. */
export const OPEN_RENTAL_STATUSES: readonly RentalStatus[] = ['starting', 'active', 'overdue', 'cancelling', 'needs_attention'];
export const CLOSED_RENTAL_STATUSES: readonly RentalStatus[] = ['completed', 'cancelled', 'failed', 'lost', 'resolved'];

export const PAYMENT_MODELS = ['pre_payment', 'post_payment'] as const;
export type PaymentModel = (typeof PAYMENT_MODELS)[number];

/**
 * How a rental stands with money: `pending` (post-payment, billed at the return), `paid`,
 * `due` (the settlement could not take everything), `refunded`, or `none` (nothing was owed).
 */
export const RENTAL_PAYMENT_STATUSES = ['pending', 'paid', 'due', 'refunded', 'none'] as const;
export type RentalPaymentStatus = (typeof RENTAL_PAYMENT_STATUSES)[number];

export const ISSUE_TYPES = ['damaged', 'not_working', 'not_charging', 'lost', 'other'] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

/** SQL list of open statuses, for partial indexes and queries: `'starting','active',...`. */
export const OPEN_STATUS_SQL = OPEN_RENTAL_STATUSES.map((s) => `'${s}'`).join(',');

/** Open statuses of a rental whose power bank is out with its rider (its eject recorded), as SQL. */
export const OUT_WITH_RIDER_SQL = (['active', 'overdue', 'cancelling'] as const satisfies readonly RentalStatus[]).map((s) => `'${s}'`).join(',');
