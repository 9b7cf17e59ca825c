/** A payment or refund notice to the user's in-app inbox (through the engagement module), once per dedupe key. */
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
