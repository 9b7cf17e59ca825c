import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { initOrm } from '../db/orm';
import { MqttBridge } from './mqtt-bridge/bridge';
import { logger } from '../kernel/logger';
import { onShutdown } from './bootstrap';
import { connectTemporal, temporalClient } from './temporal-connection';

async function main() {
  const config = loadConfigOrExit();
  const orm = await initOrm(config.DATABASE_URL);
  const connection = await connectTemporal(config);
  const temporal = temporalClient(config, connection);
  const bridge = new MqttBridge({
    mqttUrl: config.MQTT_URL,
    orm,
    temporal,
    clientId: config.MQTT_BRIDGE_CLIENT_ID,
    shareGroup: config.MQTT_BRIDGE_SHARE_GROUP,
    topicPrefix: config.MQTT_TOPIC_PREFIX,
  });
  await bridge.start();
  logger.info(
    {
      mqtt: config.MQTT_URL,
      clientId: config.MQTT_BRIDGE_CLIENT_ID,
      shareGroup: config.MQTT_BRIDGE_SHARE_GROUP ?? null,
      topicPrefix: config.MQTT_TOPIC_PREFIX,
    },
    'MQTT bridge running',
  );
  onShutdown('mqtt-bridge', async () => {
    await bridge.stop();
    await connection.close();
    await orm.close();
  });
}

main().catch((err) => {
  logger.fatal({ err }, 'MQTT bridge failed to start');
  process.exit(1);
});
