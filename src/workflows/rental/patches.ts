/**
 * Versioning of the rental workflow. Rentals run for hours or days, so a deployed change to
 * their workflow code must keep old histories replaying:
 *
 *   if (patched(RENTAL_PATCHES.someChange)) { new behaviour } else { old behaviour }
 *
 * then, once no run started before the deploy is open, `deprecatePatch(id)`, and later remove
 * both. test/workflows/histories/rental-*.json (pre-payment extended + overdue, eject timeout
 * refunded, post-payment cancel lapsed with a due) replay in CI: a change that breaks them needs a patch.
 * No patch is live yet.
 */
export const RENTAL_PATCHES = {} as const satisfies Record<string, string>;
