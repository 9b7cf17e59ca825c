/**
 * Versioning of the rental workflow. Rentals run for hours or days, so a deployed change to
 * their workflow code must keep old histories replaying:
 *
 *   if (patched(RENTAL_PATCHES.someChange)) { new behaviour } else { old behaviour }
 *
 * then, once no run started before the deploy is open, `deprecatePatch(id)`, and later remove
 * both. Record a history of each shape (`npm run record-history`) so the replay test guards it.
 * No patch is live yet.
 */
export const RENTAL_PATCHES = {} as const satisfies Record<string, string>;
