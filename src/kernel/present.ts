/** A timestamp column as the API shows it: ISO 8601 in UTC, or null when the column is empty. */
export const isoOrNull = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
