import { z, type ZodType } from 'zod';
import type { SurfaceName } from '../../config';
import type { AppError } from '../../kernel/errors';
import '../http/openapi'; // extends zod with .openapi() before the schemas below use it

/** How one surface wraps a success and an error, exactly as its seed document shows. */
export interface Envelope {
  ok(data: unknown, message?: string): unknown;
  error(err: AppError): unknown;
  /** The same shapes as zod schemas, for the OpenAPI document: `data` wrapped like `ok` does. */
  okSchema(data: ZodType): ZodType;
  errorSchema: ZodType;
}

export const FieldError = z
  .object({
    field: z.string().openapi({ example: 'body.slot' }),
    message: z.string(),
    code: z.string().openapi({ description: 'zod issue code, e.g. invalid_type, too_small' }),
  })
  .openapi('FieldError');

const Code = z.string().openapi({ description: 'Stable machine code: VALIDATION_ERROR, NOT_FOUND, INVALID_JSON, PAYLOAD_TOO_LARGE, ...' });
const Details = z
  .union([z.array(FieldError), z.record(z.string(), z.unknown())])
  .openapi({ description: 'Field-level errors for VALIDATION_ERROR; otherwise extra context' });

export const envelopes: Record<SurfaceName, Envelope> = {
  // seed 001/003: {success,data} / {success:false,error:{code,message}}
  chargeghar: {
    ok: (data, message) => (message ? { success: true, message, data } : { success: true, data }),
    error: (e) => ({ success: false, error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } }),
    okSchema: (data) => z.object({ success: z.literal(true), message: z.string().optional(), data }),
    errorSchema: z
      .object({
        success: z.literal(false),
        error: z.object({ code: Code, message: z.string(), details: Details.optional() }),
      })
      .openapi('ErrorEnvelope'),
  },
  // seed 002: {success,message,data} / {success:false,message,error:"CODE"}
  water: {
    ok: (data, message = 'OK') => ({ success: true, message, data }),
    error: (e) => ({ success: false, message: e.message, error: e.code, ...(e.details !== undefined ? { details: e.details } : {}) }),
    okSchema: (data) => z.object({ success: z.literal(true), message: z.string(), data }),
    errorSchema: z.object({ success: z.literal(false), message: z.string(), error: Code, details: Details.optional() }).openapi('ErrorEnvelope'),
  },
  // seed 004: plain JSON / {error, details, code}
  fleet: {
    ok: (data) => data,
    error: (e) => ({ error: e.message, details: e.details ?? null, code: e.code }),
    okSchema: (data) => data,
    errorSchema: z.object({ error: z.string(), details: Details.nullable(), code: Code }).openapi('ErrorEnvelope'),
  },
  // seed 000: plain JSON; errors as {error, code} with details when there are any
  ev: {
    ok: (data) => data,
    error: (e) => ({ error: e.message, code: e.code, ...(e.details !== undefined ? { details: e.details } : {}) }),
    okSchema: (data) => data,
    errorSchema: z.object({ error: z.string(), code: Code, details: Details.optional() }).openapi('ErrorEnvelope'),
  },
};
