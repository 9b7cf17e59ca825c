import type { WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import { requestContext } from '../kernel/context';

/** The memo key of the HTTP request that started a workflow (Temporal UI: the run's memo). */
export const REQUEST_ID_MEMO = 'request_id';

const withRequestId = <T extends WorkflowStartInput['options']>(options: T): T => {
  const requestId = requestContext.getStore()?.requestId;
  return requestId ? { ...options, memo: { ...options.memo, [REQUEST_ID_MEMO]: requestId } } : options;
};

/**
 * Every workflow started while an HTTP request is handled carries that request's id in its memo
 * (`request_id`), so an operator goes from a log line or an `X-Request-Id` to the run it started.
 */
export const requestIdMemo: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next({ ...input, options: withRequestId(input.options) }),
  signalWithStart: (input, next) => next({ ...input, options: withRequestId(input.options) }),
  startUpdateWithStart: (input, next) => next({ ...input, workflowStartOptions: withRequestId(input.workflowStartOptions) }),
};
