import { AppError } from '../../kernel/errors';
import { isPermanentSqlError } from '../../kernel/failures';

/**
 * gRPC codes (Temporal's answers) that the same request will get again: INVALID_ARGUMENT,
 * NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED. Every other code
 * (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, a refused credential...) is about the
 * service, not the message.
 */
const PERMANENT_GRPC_CODES = new Set([3, 5, 6, 9, 11, 12]);

/** The gRPC status code of a Temporal client error, found on it or in its causes. */
function grpcCode(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, details } = e as { code?: unknown; details?: unknown };
    if (typeof code === 'number' && typeof details === 'string') return code;
  }
  return undefined;
}

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

export interface DeliveryHooks {
  /** A transient failure: the message stays unacknowledged and is tried again after `delayMs`. */
  onRetry(err: unknown, attempt: number, delayMs: number): void;
  /** A permanent failure: the message is acknowledged (dropped) so the broker does not send it forever. */
  onDropped(err: unknown): void;
  /** True once the bridge is stopping: a message not yet handled is left unacknowledged for the next bridge. */
  stopping(): boolean;
}

/** First retry delay and its cap (doubling in between) while the database or Temporal is away. */
export const RETRY_FIRST_MS = 200;
export const RETRY_MAX_MS = 5_000;

/**
 * Runs `handle` until it succeeds or fails for good. Resolves `true` when the broker may be sent
 * the acknowledgement (handled, or dropped as permanently bad), `false` when the bridge stops
 * first (no acknowledgement: the broker keeps the message in the bridge's persistent session and
 * sends it again when a bridge with this client id connects).
 */
export async function deliverOnce(handle: () => Promise<void>, hooks: DeliveryHooks, wait = sleep): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handle();
      return true;
    } catch (err) {
      if (isPermanentFailure(err)) {
        hooks.onDropped(err);
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
