/** The ledger keys of a refund's entries: each step posts once under its own key, and so does its undo. */
export const refundKeys = {
  /** The reversal of the refunded entry (the money leaves the wallet, or goes back to it for a charge). */
  reversal: (refundId: string) => `refund:${refundId}`,
  /** Its undo when the gateway refused (the reversal is then void). */
  undo: (refundId: string) => `refund-undo:${refundId}`,
  /** The top-up points taken back with it. */
  points: (refundId: string) => `refund-points:${refundId}`,
  pointsUndo: (refundId: string) => `refund-points-undo:${refundId}`,
  /** A manual payout owed: gateway clearing → refunds payable. */
  payoutDue: (refundId: string) => `payout-due:${refundId}`,
  payoutDueUndo: (refundId: string) => `payout-due-undo:${refundId}`,
  /** The manual payout made: refunds payable → out of the gateway clearing account. */
  payout: (refundId: string) => `payout:${refundId}`,
} as const;
