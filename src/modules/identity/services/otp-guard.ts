import type { Config } from '../../../config';
import { AppError } from '../../../kernel/errors';
import { logger } from '../../../kernel/logger';
import type { Execute } from '../../../kernel/sql';
import { maskIdentifier, type Identifier } from '../rules/identifier';
import { identifierLockSeconds } from '../rules/otp';

/**
 * Per-identifier OTP guards across challenges (issue 10 item 4): failed verifications per day up to
 * OTP_IDENTIFIER_MAX_FAILURES, then a lock that doubles per lock; codes sent per day per phone/email.
 */

/** A refusal with a wait: the API sets Retry-After from it. */
export class OtpRetryLaterError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, 429, { retry_after_seconds: retryAfterSeconds });
  }
}

export const identifierLockedError = (retryAfterSeconds: number) =>
  new OtpRetryLaterError(
    'OTP_IDENTIFIER_LOCKED',
    `Too many wrong codes for this number or email; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
    retryAfterSeconds,
  );

/** Seconds the identifier stays locked, or 0. */
export async function identifierLockedFor(exec: Execute, identifier: string): Promise<number> {
  const [row] = await exec(
    `select ceil(extract(epoch from (locked_until - now())))::int as wait from otp_identifier_locks where identifier = ? and locked_until > now()`,
    [identifier],
  );
  return row ? Math.max(1, Number(row.wait)) : 0;
}

/** Failed verifications of the identifier in the last 24 h, across its challenges. */
export async function failuresToday(exec: Execute, identifier: string): Promise<number> {
  const [row] = await exec(
    `select count(*)::int as n from otp_attempts where identifier = ? and outcome = 'mismatch' and checked_at > now() - interval '1 day'`,
    [identifier],
  );
  return Number(row.n);
}

/**
 * Locks the identifier: the n-th lock within a day of the previous one lasts base·2^(n-1), capped.
 * Raises the alert (an error-level log line; admins see the lock in GET /api/admin/attention).
 */
export async function lockIdentifier(exec: Execute, config: Config, identifier: string, failures: number): Promise<number> {
  const [prev] = await exec(`select lock_count, (locked_until > now() - interval '1 day') as recent from otp_identifier_locks where identifier = ?`, [
    identifier,
  ]);
  const lockCount = prev?.recent ? Number(prev.lock_count) + 1 : 1;
  const seconds = identifierLockSeconds(config.OTP_IDENTIFIER_LOCK_SECONDS, config.OTP_IDENTIFIER_LOCK_MAX_SECONDS, lockCount);
  await exec(
    `insert into otp_identifier_locks (identifier, locked_at, locked_until, lock_count, failures) values (?, now(), now() + make_interval(secs => ?), ?, ?)
     on conflict (identifier) do update set locked_at = excluded.locked_at, locked_until = excluded.locked_until, lock_count = excluded.lock_count,
       failures = excluded.failures, released_by = null`,
    [identifier, seconds, lockCount, failures],
  );
  logger.error(
    { alert: 'otp_identifier_locked', identifier: maskIdentifier(identifier), failures, lockCount, lockSeconds: seconds },
    'OTP brute force suspected: identifier locked',
  );
  return seconds;
}

/**
 * Refuses a new code when the identifier is locked or has had its codes for the day. Runs in the
 * request's transaction after its challenge row is written and its gate won (so requests for one
 * identifier are serialised, and the count includes this one).
 */
export async function assertMaySend(exec: Execute, config: Config, id: Identifier): Promise<void> {
  const locked = await identifierLockedFor(exec, id.value);
  if (locked) throw identifierLockedError(locked);
  const cap = id.channel === 'sms' ? config.OTP_DAILY_SENDS_PER_PHONE : config.OTP_DAILY_SENDS_PER_EMAIL;
  const [row] = await exec(
    `select count(*)::int as n, ceil(extract(epoch from (min(created_at) + interval '1 day' - now())))::int as wait
     from otp_challenges where identifier = ? and created_at > now() - interval '1 day' and status <> 'failed'`,
    [id.value],
  );
  if (Number(row.n) > cap) {
    const what = id.channel === 'sms' ? 'this number' : 'this email address';
    throw new OtpRetryLaterError('OTP_DAILY_LIMIT', `${cap} codes were sent to ${what} today; try again later`, Math.max(1, Number(row.wait)));
  }
}
