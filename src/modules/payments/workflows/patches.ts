/**
 * The payments workflows' versions (`patched()`): runs started before a change replay the old
 * command sequence; histories of both sides are in test/workflows/histories/.
 */
export const PAYMENT_PATCHES = {
  /**
   * 2026-12-02: gateway calls run on `<task queue>-gateways` (rate-limited worker); the session is
   * opened there and recorded by a second activity, so a database hiccup never initiates twice.
   * Decided once at the start of a run: older runs keep their single-queue activities to the end.
   */
  gatewayQueue: 'gateway-task-queue',
  /** 2026-12-02: a canceled or expired intent is canceled at the gateway (Stripe) before it is closed. */
  cancelAtGateway: 'cancel-at-gateway',
  /** 2026-12-02: an unexpected final error parks the run as `needs_attention` instead of failing it. */
  parkOnFailure: 'park-payment-on-failure',
  /** 2026-12-02: a refund waits for the gateway's own outcome (Stripe `pending`) and a refusal undoes everything. */
  refundAwaitsGateway: 'refund-awaits-gateway-outcome',
  /**
   * 2026-12-02: an operator's cancel (Temporal UI) of a refund: before a decision it is rejected
   * (nothing moved); after one, the decision is carried out to its end (undo included) regardless.
   */
  refundCancel: 'refund-operator-cancel',
  /** 2026-12-02: a top-up that lands counts towards achievements and the leaderboard (an activity after the credit). */
  socialTopup: 'social-progress-on-topup',
} as const;
