/**
 * Small interfaces through which money code reaches contexts other helpers own. Each has a
 * default here that works without them; the lead wires the real ones.
 */

/** Outstanding amount of a post-payment rental (rentals context). */
export interface RentalDuesReader {
  dueFor(rentalId: string, userId: string): Promise<{ amountMinor: number } | null>;
}
export const noRentalDues: RentalDuesReader = { dueFor: async () => null };

export interface MoneyNotification {
  userId: string;
  /** `payment_status`, `refund_status`, `rewards`. */
  type: string;
  title: string;
  message: string;
  data?: Record<string, unknown>;
  /** Stable per cause, so a retried activity does not notify twice. */
  dedupeKey: string;
}

