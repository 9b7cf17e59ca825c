import { isTransientFailure } from './transient';

/** One error type for everything the API refuses; the surface decides how it is rendered. */
export class AppError extends Error {
  constructor(
    /** Stable machine code, e.g. VALIDATION_ERROR, NOT_FOUND, DEVICE_TIMEOUT. */
    public readonly code: string,
    message: string,
    public readonly status: number = 400,
    /** Field-level or extra details safe to show a client. */
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Field errors as the documented FieldError: a rule checked by hand (no zod issue behind it) is a `custom` one. */
const withIssueCodes = (details: unknown): unknown =>
  Array.isArray(details) ? details.map((d) => (d && typeof d === 'object' && 'field' in d && !('code' in d) ? { ...d, code: 'custom' } : d)) : details;

export const Errors = {
  validation: (details: unknown, message = 'Request validation failed') => new AppError('VALIDATION_ERROR', message, 400, withIssueCodes(details)),
  unauthorized: (message = 'Authentication required') => new AppError('UNAUTHORIZED', message, 401),
  forbidden: (message = 'Insufficient permissions') => new AppError('PERMISSION_DENIED', message, 403),
  notFound: (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`, 404),
  conflict: (code: string, message: string) => new AppError(code, message, 409),
};

/** Maps anything thrown (body-parser errors, AppErrors, bugs) to an AppError without leaking internals. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; expose?: boolean };
  if (e?.type === 'entity.parse.failed') return new AppError('INVALID_JSON', 'Malformed JSON in request body', 400);
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large', 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new AppError('UNSUPPORTED_ENCODING', e.message ?? 'Unsupported encoding', 415);
  // A malformed id or value reached PostgreSQL (e.g. "abc" for a uuid column): the client's input, not our fault.
  if ((err as { code?: string })?.code === '22P02') return new AppError('INVALID_INPUT', 'A value in the request has the wrong format', 400);
  const status = e?.status ?? e?.statusCode;
  if (status && status >= 400 && status < 500 && e.expose) return new AppError('BAD_REQUEST', e.message ?? 'Bad request', status);
  // PostgreSQL or Temporal away (restarting, unreachable, timing out): the same request may pass in a moment.
  if (isTransientFailure(err)) return new AppError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; try again shortly', 503);
  return new AppError('INTERNAL_ERROR', 'Something went wrong on our side', 500);
}
