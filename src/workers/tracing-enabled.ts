import type { Config } from '../config';

/**
 * Whether this process traces (the Temporal interceptors are added only then). Apart from
 * tracing.ts so that reading it does not load the OTLP exporter and its SDKs into every process
 * (and every test file) that talks to Temporal.
 */
export const tracingEnabled = (config: Config) => Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT);
