import { ApplicationFailure } from '@temporalio/common';
import { AppError } from './errors';
import { isPermanentSqlError } from './transient';

/** PostgreSQL's own words (knex puts the query before them: `<query> - <message>`), with the detail; the query stays in the cause. */
function sqlErrorText(err: Error & { detail?: string }): string {
  const at = err.message.lastIndexOf(' - ');
  const text = at >= 0 ? err.message.slice(at + 3) : err.message;
  return err.detail ? `${text} (${err.detail})` : text;
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
