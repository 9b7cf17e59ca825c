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
 */
export const RENTAL_PATCHES = {
  /** 2026-11-23: an eject whose ack is lost but whose bay emptied goes on instead of refunding. */
  reconcileLostEjectAck: 'reconcile-lost-eject-ack',
  /** 2026-11-23: after an eject timeout fails the rental, the bay is watched for a release (./eject-watch.ts). */
  watchBayAfterEjectTimeout: 'watch-bay-after-eject-timeout',
} as const satisfies Record<string, string>;
