import mqtt, { type MqttClient } from 'mqtt';
import { logger } from '../logger';
import { topic, type DeviceCommandMessage, type DeviceKind } from './protocol';

/**
 * The backend's side of the hardware bus. Commands go out at QoS 1 and resolve once the broker
 * has them (PUBACK); the device's ack comes back on `<kind>/<sn>/ack` and the MQTT bridge turns
 * it into a workflow signal, so the wait for it is a durable workflow timer, not process memory.
 */
export class DeviceBus {
  constructor(readonly client: MqttClient) {}

  static async connect(url: string, clientId: string): Promise<DeviceBus> {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 5000 });
    client.on('error', (err) => logger.warn({ err: err.message, clientId }, 'mqtt error'));
    return new DeviceBus(client);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async publishCommand(kind: DeviceKind, sn: string, command: DeviceCommandMessage): Promise<void> {
    if (!this.client.connected) throw new Error('MQTT broker not connected');
    await this.client.publishAsync(topic(kind, sn, 'cmd'), JSON.stringify(command), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
