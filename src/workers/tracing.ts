import { propagation, trace, context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from '../config';

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Sends what is buffered (tests; a stop). */
  flush(): Promise<void>;
  /** Flushes and unregisters the provider. */
  shutdown(): Promise<void>;
}

/**
 * This process's OpenTelemetry tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set: a Node tracer
 * provider (AsyncLocalStorage context, W3C trace context propagation) exporting by OTLP/HTTP to
 * `<endpoint>/v1/traces` in batches. The Temporal interceptors (temporal-connection.ts,
 * temporal-worker.ts) carry the context from the API into workflows and activities.
 */
export function startTracing(config: Config, processName: string): Tracing | undefined {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  const resource = new Resource({ 'service.name': config.OTEL_SERVICE_NAME ?? `stationflow-${processName}` });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), {
    scheduledDelayMillis: 1000,
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
