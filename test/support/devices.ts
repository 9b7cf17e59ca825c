import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { deviceCredentials, SERVICE_USERNAMES, serviceCredentials, type ServiceRole } from '../../src/kernel/devices/credentials';
import type { DeviceKind } from '../../src/kernel/devices/protocol';
import type { TestStack } from './stack';

type Target = Pick<TestStack, 'config'>;

/** A raw MQTT connection as one device of the stack (its own credentials, its username as client id). */
export function connectAsDevice(stack: Target, sn: string, opts: IClientOptions & { kind?: DeviceKind; url?: string } = {}): Promise<MqttClient> {
  const { kind = 'kiosk', url = stack.config.MQTT_URL, ...rest } = opts;
  const creds = deviceCredentials(stack.config.MQTT_AUTH_SECRET, kind, sn, stack.config.MQTT_TOPIC_PREFIX);
  return mqtt.connectAsync(url, { clientId: creds.username, reconnectPeriod: 0, ...creds, ...rest });
}

/** A raw MQTT connection as one of the backend's services (a probe reading like the bridge, a publisher like the API). */
export function connectAsService(stack: Target, role: ServiceRole, opts: IClientOptions & { url?: string } = {}): Promise<MqttClient> {
  const { url = stack.config.MQTT_URL, ...rest } = opts;
  return mqtt.connectAsync(url, {
    clientId: `${SERVICE_USERNAMES[role]}-test-${randomUUID().slice(0, 8)}`,
    reconnectPeriod: 0,
    ...serviceCredentials(stack.config.MQTT_AUTH_SECRET, role),
    ...rest,
  });
}
