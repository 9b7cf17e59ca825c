import 'reflect-metadata';
import type { Config } from '../config';
import { initOrm } from '../db/orm';
import { DeviceBus } from '../kernel/devices/device-bus';
import { logger } from '../kernel/logger';
import { connectTemporal, temporalClient } from './temporal-connection';

/** Connections every process needs, opened from config and closed in reverse order. */
export async function connectAll(config: Config, name: string) {
  const orm = await initOrm(config.DATABASE_URL);
  const connection = await connectTemporal(config);
  const temporal = temporalClient(config, connection);
  const bus = await DeviceBus.connect(config.MQTT_URL, `stationflow-${name}-${process.pid}`, { topicPrefix: config.MQTT_TOPIC_PREFIX });
  return {
    orm,
    temporal,
    bus,
    close: async () => {
      await bus.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await orm.close().catch(() => undefined);
    },
  };
}

/** Runs `stop` once on SIGINT/SIGTERM, then exits. */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, `${name} failed to stop`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
