import { AppError } from '../../kernel/errors';
import { grpcCode, isPermanentSqlError, isTransientFailure, PERMANENT_GRPC_CODES } from '../../kernel/transient';

/**
 * Whether a device message whose handling threw this would throw it again however often it is
 * redelivered (a bad payload): a refusal of the rules (`AppError`), a PostgreSQL error outside the
 * transient classes (a constraint, bad data), a Temporal refusal of the request, or a programming
 * error on a shape the handler did not expect (TypeError, RangeError, SyntaxError). Anything else
 * (the database or Temporal unreachable, restarting, timing out) is transient: the message is
 * handled again later and acknowledged only then.
 */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof AppError) return true;
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return true;
  if (isPermanentSqlError(err)) return true;
  const code = grpcCode(err);
  return code !== undefined && PERMANENT_GRPC_CODES.has(code);
}

/**
 * When a message whose handling keeps failing with an unknown error is parked (acknowledged, logged
 * and counted) so the messages behind it flow: after `attempts` tries and `ageMs` since the first.
 */
export interface ParkAfter {
  attempts: number;
  ageMs: number;
}

/** About 30 s of tries (200 ms doubling to 5 s): a bug in a handler holds the bridge's queue that long, not forever. */
export const PARK_AFTER: ParkAfter = { attempts: 8, ageMs: 30_000 };

export interface DeliveryHooks {
  /** A transient failure: the message stays unacknowledged and is tried again after `delayMs`. */
  onRetry(err: unknown, attempt: number, delayMs: number): void;
  /** A permanent failure: the message is acknowledged (dropped) so the broker does not send it forever. */
  onDropped(err: unknown): void;
  /** An unknown failure past the bounds: the message is acknowledged (parked) so the later ones flow. */
  onParked(err: unknown, attempts: number, ageMs: number): void;
  /** True once the bridge is stopping: a message not yet handled is left unacknowledged for the next bridge. */
  stopping(): boolean;
}

/** First retry delay and its cap (doubling in between) while the database or Temporal is away. */
export const RETRY_FIRST_MS = 200;
export const RETRY_MAX_MS = 5_000;

/**
 * Runs `handle` until it succeeds or fails for good. Resolves `true` when the broker may be sent
 * the acknowledgement (handled, dropped as permanently bad, or parked after `park` tries of an
 * unknown failure), `false` when the bridge stops first (no acknowledgement: the broker keeps the
 * message in the bridge's persistent session and sends it again when a bridge with this client id
 * connects). Transient failures (the database or Temporal away) are tried again without bound.
 */
export async function deliverOnce(handle: () => Promise<void>, hooks: DeliveryHooks, wait = sleep, park: ParkAfter = PARK_AFTER): Promise<boolean> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await handle();
      return true;
    } catch (err) {
      if (isPermanentFailure(err)) {
        hooks.onDropped(err);
        return true;
      }
      const ageMs = Date.now() - started;
      if (!isTransientFailure(err) && attempt >= park.attempts && ageMs >= park.ageMs) {
        hooks.onParked(err, attempt, ageMs);
        return true;
      }
      if (hooks.stopping()) return false;
      const delayMs = Math.min(RETRY_FIRST_MS * 2 ** Math.min(attempt - 1, 10), RETRY_MAX_MS);
      hooks.onRetry(err, attempt, delayMs);
      await wait(delayMs);
      if (hooks.stopping()) return false;
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
