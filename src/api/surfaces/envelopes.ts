import type { SurfaceName } from '../../config';
import type { AppError } from '../errors';

/** How one surface wraps a success and an error, exactly as its seed document shows. */
export interface Envelope {
  ok(data: unknown, message?: string): unknown;
  error(err: AppError): unknown;
}

export const envelopes: Record<SurfaceName, Envelope> = {
  // seed 001/003: {success,data} / {success:false,error:{code,message}}
  chargeghar: {
    ok: (data, message) => (message ? { success: true, message, data } : { success: true, data }),
    error: (e) => ({ success: false, error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } }),
  },
  // seed 002: {success,message,data} / {success:false,message,error:"CODE"}
  water: {
    ok: (data, message = 'OK') => ({ success: true, message, data }),
    error: (e) => ({ success: false, message: e.message, error: e.code, ...(e.details !== undefined ? { details: e.details } : {}) }),
  },
  // seed 004: plain JSON / {error, details, code}
  fleet: {
    ok: (data) => data,
    error: (e) => ({ error: e.message, details: e.details ?? null, code: e.code }),
  },
  // seed 000: plain JSON; errors as {error, code} with details when there are any
  ev: {
    ok: (data) => data,
    error: (e) => ({ error: e.message, code: e.code, ...(e.details !== undefined ? { details: e.details } : {}) }),
  },
};
