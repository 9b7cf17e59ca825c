/** KYC rules of the fleet product (pure). */

/** PAN: 5 capital letters, 4 digits, 1 capital letter (AAAAA9999A). */
export const PAN_FORMAT = /^[A-Z]{5}[0-9]{4}[A-Z]$/;
/** What maskAadhaar takes, as the API documents and checks it: 12 digits in groups of 4 (spaces or hyphens between allowed), or the last 4. */
export const AADHAAR_FORMAT = /^(?:(?:[0-9]{4}[ -]?){2})?[0-9]{4}$/;

/** Aadhaar is never stored: only `XXXX XXXX 1234` (UIDAI/RBI KYC masking). */
export function maskAadhaar(aadhaar: string): string | null {
  const digits = aadhaar.replace(/[\s-]/g, '');
  return /^\d{12}$/.test(digits) || /^\d{4}$/.test(digits) ? `XXXX XXXX ${digits.slice(-4)}` : null;
}

export const FLEET_USER_TYPES = ['dealer', 'admin', 'technician'] as const;
export type FleetUserType = (typeof FLEET_USER_TYPES)[number];

export const KYC_STATES = ['pending', 'submitted', 'verified', 'rejected'] as const;
