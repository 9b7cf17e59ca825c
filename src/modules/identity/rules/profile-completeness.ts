/** What a profile must have before its owner can rent (seed 001: "Profile completion is enforced before rental"). */
export const REQUIRED_PROFILE_FIELDS = ['full_name', 'date_of_birth', 'gender', 'address.line', 'address.city'] as const;
export type RequiredProfileField = (typeof REQUIRED_PROFILE_FIELDS)[number];

export interface ProfileFields {
  fullName?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
  addressLine?: string | null;
  city?: string | null;
}

const present = (v: string | null | undefined) => typeof v === 'string' && v.trim().length > 0;

/** The required fields still missing, in a stable order; empty means complete. */
export function missingProfileFields(p: ProfileFields | null | undefined): RequiredProfileField[] {
  const values: Record<RequiredProfileField, string | null | undefined> = {
    full_name: p?.fullName,
    date_of_birth: p?.dateOfBirth,
    gender: p?.gender,
    'address.line': p?.addressLine,
    'address.city': p?.city,
  };
  return REQUIRED_PROFILE_FIELDS.filter((f) => !present(values[f]));
}

export const MIN_AGE_YEARS = 16;

/** Age in whole years on `today` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}
