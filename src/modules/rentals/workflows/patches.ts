/**
 * Versioning of the rental workflow. Rentals run for hours or days, so a deployed change to
 * their workflow code must keep old histories replaying:
 *
 *   if (patched(RENTAL_PATCHES.someChange)) { new behaviour } else { old behaviour }
 *
 * then, once no run started before the deploy is open, `deprecatePatch(id)`, and later remove
 * both. test/workflows/histories/rental-*.json (pre-payment extended + overdue, eject timeout
 * refunded, post-payment cancel lapsed with a due, eject timeout then bay released / unconfirmed)
 * replay in CI: a change that breaks them needs a patch.
 *
 * These are the first version's (`rentalWorkflow`) patches. The second version
 * (`rentalV2Workflow`, since 2026-12-02) has all of them without a marker (`RENTAL_V2.has`
 * answers true); a change to it after it is deployed goes behind a `patched()` of its own, and
 * test/workflows/histories/rental-v2-*.json must keep replaying.
 */
export const RENTAL_PATCHES = {
  /** 2026-11-23: an eject whose ack is lost but whose bay emptied goes on instead of refunding. */
  reconcileLostEjectAck: 'reconcile-lost-eject-ack',
  /** 2026-11-23: after an eject timeout fails the rental, the bay is watched for a release (./eject-watch.ts). */
  watchBayAfterEjectTimeout: 'watch-bay-after-eject-timeout',
  /** 2026-12-02: every eject failure runs the compensations (registered before their step), even under cancellation. */
  compensateEveryEjectFailure: 'compensate-every-eject-failure',
  /** 2026-12-02: a step that fails for an unexpected reason parks the rental as `needs_attention` instead of failing the run. */
  parkOnFailure: 'park-rental-on-failure',
  /** 2026-12-02: a return counts from the kiosk's own time (bounded), not from when the worker saw the signal. */
  returnTimeFromKiosk: 'return-time-from-kiosk',
  /** 2026-12-02: an extension asked again without an Idempotency-Key (same package, within a minute) is the same extension. */
  dedupeUnkeyedExtend: 'dedupe-unkeyed-extend',
  /** 2026-12-02: the rental keeps the bay and power bank it was given, whatever the kiosk's ack says it released. */
  powerBankFromRental: 'power-bank-from-rental',
  /** 2026-12-02: a return counts only for the rental's own power bank, and only if the station that sent it holds it now. */
  returnHeldByStation: 'return-held-by-station',
  /** 2026-12-02: a settled rental counts towards achievements and the leaderboard (timely-return bonus, unlocks) before the row says so. */
  socialProgress: 'social-progress-on-settle',
} as const satisfies Record<string, string>;
