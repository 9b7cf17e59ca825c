import path from 'node:path';
import { ROOT_CONTEXT, SpanKind, propagation } from '@opentelemetry/api';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { TraceSinks } from '../kernel/temporal/trace-headers';
import { tracer } from '../kernel/observability/tracing';
import type { Tracing } from './tracing';

/** The workflow interceptors that carry the trace header (bundled with every workflow: bundle.ts). */
export const TRACE_WORKFLOW_INTERCEPTORS = path.join(__dirname, '..', 'kernel', 'temporal', 'trace-headers');

/** An activity's span, a child of the span that started its workflow (from the activity's headers). Only when tracing. */
export const otelActivityInterceptors = (tracing: Tracing | undefined): ActivityInterceptorsFactory[] =>
  tracing
    ? [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ]
    : [];

/**
 * The `tracing` sink of the bundled interceptors: when tracing, a `RunWorkflow:<type>` span (child
 * of the start's span, with the run's ids and the request id of its memo) each time a run begins
 * on this worker; otherwise nothing. Never called while replaying.
 */
export function traceSinks(tracing: Tracing | undefined): InjectedSinks<TraceSinks> {
  return {
    tracing: {
      workflowRun: {
        fn: (info, header: Payload) => {
          if (!tracing) return;
          const parent = propagation.extract(ROOT_CONTEXT, defaultPayloadConverter.fromPayload<Record<string, string>>(header));
          const requestId = (info.memo as Record<string, unknown> | undefined)?.request_id;
          const attributes = {
            temporalWorkflowId: info.workflowId,
            temporalRunId: info.runId,
            ...(typeof requestId === 'string' ? { 'stationflow.request_id': requestId } : {}),
          };
          tracer().startSpan(`RunWorkflow:${info.workflowType}`, { kind: SpanKind.INTERNAL, attributes }, parent).end();
        },
        callDuringReplay: false,
      },
    },
  };
}
