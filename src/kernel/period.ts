import { Errors } from './errors';
import type { Execute } from './sql';

/** A period of whole days in a time zone: [start, end) as instants, and the zone its days are counted in. */
export interface AnalyticsPeriod {
  start: Date;
  end: Date;
  timeZone: string;
  /** The first and last day, `YYYY-MM-DD` (inclusive). */
  from: string;
  to: string;
}

/** The first day a period may start: nothing here is older, and before 1900 time zones use local mean time (offsets in seconds). */
export const EARLIEST_DAY = '1970-01-01';
/**
 * A `YYYY-MM-DD` day from EARLIEST_DAY on, as a whole pattern a query's schema and its document both state (a
 * prefix alone let the document allow `1999-x`): real month lengths, February to the 28th (a subset of valid days).
 */
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
export const SINCE_EARLIEST_DAY = new RegExp(`^(?:19[7-9][0-9]|[2-9][0-9]{3})-${MONTH_DAY}$`);

/**
 * The days `from`..`to` (inclusive, `YYYY-MM-DD`) of `timeZone` as instants, computed by PostgreSQL's time zone rules.
 * A day before EARLIEST_DAY is a 400 (a year-0021 day once became an invalid Date and a 500).
 */
export async function periodOfDays(q: Execute, from: string, to: string, timeZone: string): Promise<AnalyticsPeriod> {
  if (from < EARLIEST_DAY || to < EARLIEST_DAY) throw Errors.validation([{ field: 'query', message: `days start at ${EARLIEST_DAY}`, code: 'too_small' }]);
  const [r] = await q(`select (?::date)::timestamp at time zone ? as start, (?::date + 1)::timestamp at time zone ? as end`, [from, timeZone, to, timeZone]);
  return { start: new Date(r.start), end: new Date(r.end), timeZone, from, to };
}

/** Today in `timeZone`, `YYYY-MM-DD`. */
export async function todayIn(q: Execute, timeZone: string): Promise<string> {
  const [r] = await q(`select to_char(now() at time zone ?, 'YYYY-MM-DD') as today`, [timeZone]);
  return String(r.today);
}
