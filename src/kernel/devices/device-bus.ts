import mqtt, { type MqttClient } from 'mqtt';
import { logger } from '../logger';
import { topic, type DeviceCommandMessage, type DeviceKind } from './protocol';
import type { MqttCredentials } from './credentials';
import { deviceCommands, mqttConnected } from '../observability/metrics';
import { tracedPublish } from '../observability/tracing';

/**
 * The backend's side of the hardware bus. Commands go out at QoS 1 and resolve once the broker
 * has them (PUBACK); the device's ack comes back on `[<prefix>/]<kind>/<sn>/ack` and the MQTT bridge turns
 * it into a workflow signal, so the wait for it is a durable workflow timer, not process memory.
 */
/** The broker could not be reached within the wait a command allows. */
export class BrokerUnreachableError extends Error {
  constructor(readonly waitMs: number) {
    super(`MQTT broker not reachable within ${waitMs} ms`);
    this.name = 'BrokerUnreachableError';
  }
}

export class DeviceBus {
  /** `topicPrefix`: the deployment's MQTT_TOPIC_PREFIX ('' for none); commands go to `<prefix>/<kind>/<sn>/cmd`. */
  constructor(
    readonly client: MqttClient,
    readonly topicPrefix = '',
  ) {}

  /** `credentials`: the process's MQTT identity (the API's or the worker's: they may publish commands only); clientId must start with its username. */
  static async connect(url: string, clientId: string, opts: { topicPrefix?: string; credentials?: MqttCredentials } = {}): Promise<DeviceBus> {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 5000, ...opts.credentials });
    client.on('error', (err) => logger.warn({ err: err.message, clientId }, 'mqtt error'));
    mqttConnected.set({ client: 'bus' }, 1);
    client.on('connect', () => mqttConnected.set({ client: 'bus' }, 1));
    client.on('offline', () => mqttConnected.set({ client: 'bus' }, 0));
    return new DeviceBus(client, opts.topicPrefix);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Resolves once connected to the broker, or false when `waitMs` passes first (the client keeps reconnecting). */
  async waitForBroker(waitMs: number): Promise<boolean> {
    if (this.client.connected) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('connect', onConnect);
        resolve(ok);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(this.client.connected), waitMs);
      this.client.on('connect', onConnect);
    });
  }

  /** Publishes at QoS 1; waits up to `waitMs` for a broker that is away (default: not at all). */
  async publishCommand(kind: DeviceKind, sn: string, command: DeviceCommandMessage, waitMs = 0): Promise<void> {
    if (!(await this.waitForBroker(waitMs))) throw new BrokerUnreachableError(waitMs);
    const to = topic(kind, sn, 'cmd', this.topicPrefix);
    await tracedPublish(to, () => this.client.publishAsync(to, JSON.stringify(command), { qos: 1 }));
    deviceCommands.inc({ kind, type: command.type });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
