import pino from 'pino';
import { requestContext } from './context';

/** One structured logger; every line carries the request id when there is one. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'stationflow' },
  mixin: () => {
    const ctx = requestContext.getStore();
    return ctx ? { requestId: ctx.requestId } : {};
  },
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.otp', '*.code_hash'],
});

export type Logger = typeof logger;
