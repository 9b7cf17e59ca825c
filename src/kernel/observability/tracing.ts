import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/**
 * Spans of our own code (OpenTelemetry API only: without a registered provider, as when
 * OTEL_EXPORTER_OTLP_ENDPOINT is unset, every call is a no-op). The provider and the OTLP exporter
 * are set up by each process (src/workers/tracing.ts).
 */
export const tracer = () => trace.getTracer('stationflow');

/** Runs `fn` inside an active span that ends with it, marked as an error when it throws. */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A command published to a device (`mqtt publish <topic>`), a child of the activity that sends it. */
export const tracedPublish = <T>(topic: string, fn: () => Promise<T>) =>
  inSpan('mqtt publish', SpanKind.PRODUCER, { 'messaging.system': 'mqtt', 'messaging.destination.name': topic, 'messaging.operation.type': 'publish' }, () =>
    fn(),
  );
