import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  userId?: string;
  role?: string;
}

/** Per-request context (request id, caller) available anywhere below the HTTP layer. */
export const requestContext = new AsyncLocalStorage<RequestContext>();
