import { ApplicationFailure } from '@temporalio/common';
import { AppError } from './errors';

/**
 * SQLSTATE classes of errors that go away by themselves: the connection (08), resources (53),
 * an operator or restart (57), a transaction that lost a race (40), the system (58).
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '40', '58']);

/** PostgreSQL's own words (knex puts the query before them: `<query> - <message>`), with the detail; the query stays in the cause. */
function sqlErrorText(err: Error & { detail?: string }): string {
  const at = err.message.lastIndexOf(' - ');
  const text = at >= 0 ? err.message.slice(at + 3) : err.message;
  return err.detail ? `${text} (${err.detail})` : text;
}

/** A SQLSTATE: five characters in one of PostgreSQL's classes (never a Node error code such as EPIPE). */
const isSqlState = (code: unknown): code is string => typeof code === 'string' && /^([0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/.test(code);

/** A PostgreSQL error that the same statement will raise again (a constraint, bad data, a wrong query): its SQLSTATE is outside the transient classes. */
export function isPermanentSqlError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return isSqlState(code) && !TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/** A PostgreSQL error of a transient class (the connection, resources, a restart, a lost race): the same statement may pass later. */
export function isTransientSqlError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return isSqlState(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/**
 * How an activity's error should be retried. Infrastructure errors (a database, broker or gateway
 * that is down or slow) are retried for as long as it takes, with backoff; an error that the same
 * input will raise again is final:
 * - `AppError` (a refusal of the business rules: not enough balance, unknown id) → final, its code kept;
 * - a PostgreSQL error outside the transient classes (a constraint, bad data, a wrong query) → final `DataError`;
 * - anything else (network errors, timeouts, an ApplicationFailure the activity chose) → as it is.
 */
export function classifyActivityError(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof AppError) {
    return ApplicationFailure.create({
      type: 'AppError',
      message: `${err.code}: ${err.message}`,
      nonRetryable: true,
      details: [{ code: err.code, status: err.status, details: err.details ?? null }],
    });
  }
  if (isPermanentSqlError(err)) {
    return ApplicationFailure.create({
      type: 'DataError',
      message: `${(err as { code: string }).code}: ${sqlErrorText(err as Error & { detail?: string })}`.slice(0, 1000),
      nonRetryable: true,
      cause: err as Error,
    });
  }
  return err;
}
