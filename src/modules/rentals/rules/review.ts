/**
 * Rentals an admin should look at, and how a bay is judged after an eject that got no ack.
 *
 * - `ejected_after_failure`: the eject timed out and the rental failed (refunded), but a report
 *   the kiosk sent after the command shows the bay without the power bank: it most likely left
 *   with the user. Nothing is charged; the power bank counts as out with that user.
 * - `eject_unconfirmed`: the eject timed out and the kiosk reported nothing about the bay within
 *   the watch time: nobody knows where the power bank is.
 */
export const REVIEW_REASONS = ['ejected_after_failure', 'eject_unconfirmed'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * How an admin closed a review. Closing records the decision only: no money moves (a user told
 * that their rental failed is never charged by surprise; finance acts separately if it must).
 * - `power_bank_recovered`: the power bank is back in the company's hands;
 * - `written_off`: it is lost and written off;
 * - `no_issue`: on inspection nothing was wrong (e.g. the bay was full after all).
 */
export const REVIEW_RESOLUTIONS = ['power_bank_recovered', 'written_off', 'no_issue'] as const;
export type ReviewResolution = (typeof REVIEW_RESOLUTIONS)[number];

/**
 * A power bank that left its bay after the user's rental failed, is not back, and no admin has
 * closed the review: the user holds it, so (as with an open rental) they may neither rent another
 * nor erase their account until it is returned or an admin resolves the case. SQL on `rentals`.
 */
export const UNRETURNED_AFTER_FAILURE_SQL = `review_reason = 'ejected_after_failure' and returned_at is null and review_resolved_at is null`;

/** Watch after an eject timeout: how long, and how often the bay is looked at. */
export const EJECT_WATCH_DEFAULTS = { minutes: 10, intervalSeconds: 30 } as const;

/** What the kiosk reported about a bay since an eject command was sent. */
export type BayReport = { state: 'released' | 'present'; reportedAt: string } | { state: 'none' };

/**
 * Only a report newer than `since` counts: the slot row as the kiosk last reported it
 * (`reported_at`), both on the database clock. The watch passes the moment it began, which is
 * after the eject command and its whole ack timeout: a heartbeat the kiosk sent before the
 * command reached it (crossing it on the wire) is never taken for the bay's state after it.
 */
export function judgeBay(slot: { powerBankSn: string | null; reportedAt: Date | null } | undefined, since: Date, powerBankSn: string): BayReport {
  if (!slot?.reportedAt || slot.reportedAt.getTime() <= since.getTime()) return { state: 'none' };
  return { state: slot.powerBankSn === powerBankSn ? 'present' : 'released', reportedAt: slot.reportedAt.toISOString() };
}
