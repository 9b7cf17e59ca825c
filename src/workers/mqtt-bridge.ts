import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { initOrm } from '../db/orm';
import { hostname } from 'node:os';
import { MqttBridge } from './mqtt-bridge/bridge';
import { SERVICE_USERNAMES, serviceCredentials } from '../kernel/devices/credentials';
import { logger } from '../kernel/logger';
import { onShutdown } from './bootstrap';
import { connectTemporal, temporalClient } from './temporal-connection';
import { startMetricsServer } from './metrics-server';
import { startTracing } from './tracing';

async function main() {
  const config = loadConfigOrExit();
  const tracing = startTracing(config, 'mqtt-bridge');
  const orm = await initOrm(config.DATABASE_URL);
  const connection = await connectTemporal(config);
  const temporal = temporalClient(config, connection);
  // Unique per host and stable across restarts, so the persistent session survives one.
  const clientId = config.MQTT_BRIDGE_CLIENT_ID ?? `${SERVICE_USERNAMES.bridge}-${hostname()}`.slice(0, 64);
  const bridge = new MqttBridge({
    mqttUrl: config.MQTT_URL,
    orm,
    temporal,
    clientId,
    credentials: serviceCredentials(config.MQTT_AUTH_SECRET, 'bridge'),
    shareGroup: config.MQTT_BRIDGE_SHARE_GROUP,
    topicPrefix: config.MQTT_TOPIC_PREFIX,
    sweepScope: config.MQTT_BRIDGE_SWEEP_SCOPE,
    batteryReconcile: {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ackTimeoutMs: config.DEVICE_ACK_TIMEOUT_MS,
      resendAfterSeconds: config.FLEET_STATUS_RESEND_SECONDS,
    },
  });
  await bridge.start();
  const metrics = await startMetricsServer(config, 'mqtt-bridge');
  onShutdown('mqtt-bridge', async () => {
    await metrics?.close();
    await tracing?.shutdown();
    await bridge.stop();
    await connection.close();
    await orm.close();
  });
  // Ready only once a signal would be handled: a supervisor may signal as soon as it reads this line.
  logger.info(
    {
      mqtt: config.MQTT_URL,
      clientId,
      shareGroup: config.MQTT_BRIDGE_SHARE_GROUP ?? null,
      topicPrefix: config.MQTT_TOPIC_PREFIX,
    },
    'MQTT bridge running',
  );
}

main().catch((err) => {
  logger.fatal({ err }, 'MQTT bridge failed to start');
  process.exit(1);
});
