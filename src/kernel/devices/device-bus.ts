import mqtt, { type MqttClient } from 'mqtt';
import { logger } from '../logger';
import { topic, type DeviceCommandMessage, type DeviceKind } from './protocol';

/**
 * The backend's side of the hardware bus. Commands go out at QoS 1 and resolve once the broker
 * has them (PUBACK); the device's ack comes back on `[<prefix>/]<kind>/<sn>/ack` and the MQTT bridge turns
 * it into a workflow signal, so the wait for it is a durable workflow timer, not process memory.
 */
export class DeviceBus {
  /** `topicPrefix`: the deployment's MQTT_TOPIC_PREFIX ('' for none); commands go to `<prefix>/<kind>/<sn>/cmd`. */
  constructor(
    readonly client: MqttClient,
    readonly topicPrefix = '',
  ) {}

  static async connect(url: string, clientId: string, opts: { topicPrefix?: string } = {}): Promise<DeviceBus> {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 5000 });
    client.on('error', (err) => logger.warn({ err: err.message, clientId }, 'mqtt error'));
    return new DeviceBus(client, opts.topicPrefix);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async publishCommand(kind: DeviceKind, sn: string, command: DeviceCommandMessage): Promise<void> {
    if (!this.client.connected) throw new Error('MQTT broker not connected');
    await this.client.publishAsync(topic(kind, sn, 'cmd', this.topicPrefix), JSON.stringify(command), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
