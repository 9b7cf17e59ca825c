import type { Headers, Payload } from '@temporalio/common';
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Workflow interceptors (bundled with every workflow) that carry the trace context of the call that
 * started a run to everything the run schedules: its activities, local activities and children get
 * the start's `_tracer-data` header (the header `@temporalio/interceptors-opentelemetry` writes and
 * reads), so an activity's span joins the HTTP request's trace. No span is made in the sandbox and
 * nothing is awaited: headers are not part of a history's determinism, so runs recorded before
 * (and after) replay unchanged. The run itself is reported once, outside the sandbox, through the
 * `tracing` sink (src/workers/worker-tracing.ts), never during replay.
 */
export const TRACE_HEADER = '_tracer-data';

export interface TraceSinks extends Sinks {
  tracing: { workflowRun(header: Payload): void };
}

const { tracing } = proxySinks<TraceSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => {
  let carried: Payload | undefined;
  const withTrace = <T extends { headers: Headers }>(input: T): T =>
    carried && !input.headers[TRACE_HEADER] ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: carried } } : input;
  return {
    inbound: [
      {
        execute(input, next) {
          carried = input.headers[TRACE_HEADER];
          if (carried) tracing.workflowRun(carried);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withTrace(input)),
        scheduleLocalActivity: (input, next) => next(withTrace(input)),
        startChildWorkflowExecution: (input, next) => next(withTrace(input)),
      },
    ],
  };
};
