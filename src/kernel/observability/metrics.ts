import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), one registry per process. Names are listed in
 * docs/OPERATIONS.md; every one starts with `stationflow_`. Not workflow code: workflows count
 * nothing themselves, their activities and the processes around them do.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'stationflow_' });

export const httpRequests = new Counter({
  name: 'stationflow_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpServerErrors = new Counter({
  name: 'stationflow_http_server_errors_total',
  help: 'HTTP requests answered with a 5xx, by method and route template',
  labelNames: ['method', 'route'] as const,
  registers: [metricsRegistry],
});

export const httpDuration = new Histogram({
  name: 'stationflow_http_request_duration_seconds',
  help: 'HTTP request latency (until the response is sent), by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const deviceCommands = new Counter({
  name: 'stationflow_device_commands_total',
  help: 'Commands published to devices over MQTT (QoS 1, after the broker took them), by device kind and command type',
  labelNames: ['kind', 'type'] as const,
  registers: [metricsRegistry],
});

export const deviceCommandOutcomes = new Counter({
  name: 'stationflow_device_command_outcomes_total',
  help: 'Device commands finished, by outcome: acked, failed (the device said no) or timeout (no ack in time)',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const deviceMessages = new Counter({
  name: 'stationflow_device_messages_total',
  help: 'Device messages the MQTT bridge read, by device kind and channel (ack, event, heartbeat, status)',
  labelNames: ['kind', 'channel'] as const,
  registers: [metricsRegistry],
});

export const deviceAcks = new Counter({
  name: 'stationflow_device_acks_total',
  help: 'Device acks the bridge handled, by result: delivered (signalled to the waiting workflow), late (its workflow had closed), invalid (no command id)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const bridgeFailures = new Counter({
  name: 'stationflow_bridge_failures_total',
  help: "Failed attempts to handle a device message, by channel and outcome: retried (not acknowledged, tried again), dropped (a message that can never be handled; acknowledged) or parked (an unknown error past the bridge's bound of tries and age; acknowledged and logged with its payload)",
  labelNames: ['channel', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const mqttConnected = new Gauge({
  name: 'stationflow_mqtt_connected',
  help: '1 while this process is connected to the MQTT broker, by client role (bus: commands out; bridge: device traffic in)',
  labelNames: ['client'] as const,
  registers: [metricsRegistry],
});

/** A gauge read when scraped (`read` may query the database; a failure leaves the last value). */
export function scrapedGauge(name: string, help: string, read: () => Promise<number>): Gauge {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) metricsRegistry.removeSingleMetric(name);
  return new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    async collect() {
      try {
        this.set(await read());
      } catch {
        /* keep the last value: a scrape never fails on the database */
      }
    },
  });
}

/** The Prometheus text of this process, plus `extra` sources (the Temporal Core SDK's own exporter). */
export async function metricsText(extra: (() => Promise<string>)[] = []): Promise<string> {
  const parts = [await metricsRegistry.metrics()];
  for (const source of extra) parts.push(await source().catch(() => ''));
  return parts.filter(Boolean).join('\n');
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;
