/**
 * Failures that are about a service being away (PostgreSQL, Temporal or a peer unreachable,
 * restarting, timing out) rather than about the request or message: the same call may pass later.
 * The MQTT bridge retries such a device message without bound; the HTTP surfaces answer 503.
 * Free of imports so the kernel's error mapping and the workers can both use it.
 */

/**
 * SQLSTATE classes of errors that go away by themselves: the connection (08), resources (53),
 * an operator or restart (57), a transaction that lost a race (40), the system (58).
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '40', '58']);

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
 * gRPC codes (Temporal's answers) that the same request will get again: INVALID_ARGUMENT,
 * NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED. Every other code
 * (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, a refused credential...) is about the
 * service, not the message.
 */
export const PERMANENT_GRPC_CODES = new Set([3, 5, 6, 9, 11, 12]);

/** The gRPC status code of a Temporal client error, found on it or in its causes. */
export function grpcCode(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, details } = e as { code?: unknown; details?: unknown };
    if (typeof code === 'number' && typeof details === 'string') return code;
  }
  return undefined;
}

/** Node's network error codes: the peer (PostgreSQL, Temporal) is unreachable, refused or reset the connection, or timed out. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Error names of the database layer for a connection or pool that is away (knex, MikroORM, Temporal's client). */
const TRANSIENT_ERROR_NAMES = new Set(['KnexTimeoutError', 'ConnectionException', 'LockWaitTimeoutException', 'DeadlockException', 'TransportError']);

/** What node-postgres says (a plain Error, no code) when the server goes away under it or a connect times out. */
const TRANSIENT_MESSAGE =
  /connection terminated|terminating connection|connection (?:refused|reset|timeout|error)|timeout exceeded when trying to connect|the database system is (?:starting up|shutting down)/i;

/**
 * Whether this failure is known to be about a service that is away (the database or Temporal
 * unreachable, restarting, timing out) rather than about the message: such a message is retried
 * for as long as it takes. A failure that is neither this nor permanent (an unknown plain Error)
 * is retried a bounded number of times and then parked.
 */
export function isTransientFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (isTransientSqlError(e) || (typeof code === 'string' && NETWORK_ERROR_CODES.has(code))) return true;
    if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
  }
  const code = grpcCode(err);
  return code !== undefined && !PERMANENT_GRPC_CODES.has(code);
}
