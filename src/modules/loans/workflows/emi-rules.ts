import type { EmiRules } from './definitions';

/** The EMI rules a run uses when its start did not carry them (the config's defaults). */
export const EMI_RULES_DEFAULT: EmiRules = { graceDays: 3, lateFeePerDayPaise: 5000, lateFeeCapPaise: 50000, disableAfterDays: 7 };
