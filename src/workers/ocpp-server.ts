import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { initOrm } from '../db/orm';
import { logger } from '../kernel/logger';
import { NatsAuthService, OcppCentralSystem } from '../modules/charging';
import { onShutdown } from './bootstrap';
import { connectTemporal, temporalClient } from './temporal-connection';

/**
 * The OCPP 1.6-J central system as its own process (`npm run ocpp`): chargers connect to
 * ws://host:OCPP_PORT/ocpp/<deviceNumber>; workers send commands to OCPP_COMMAND_URL. With NATS_URL
 * it also answers NATS's auth callout for the EV app's users.
 */
async function main() {
  const config = loadConfigOrExit();
  const orm = await initOrm(config.DATABASE_URL);
  const connection = await connectTemporal(config);
  const temporal = temporalClient(config, connection);
  const central = new OcppCentralSystem({ orm, temporal, commandToken: config.OCPP_COMMAND_TOKEN });
  const port = await central.listen(config.OCPP_PORT);
  const natsAuth = config.NATS_URL
    ? new NatsAuthService({ url: config.NATS_URL, secret: config.NATS_SECRET, issuerSeed: config.NATS_ISSUER_SEED, topicPrefix: config.NATS_TOPIC_PREFIX })
    : undefined;
  await natsAuth?.start();
  onShutdown('ocpp-server', async () => {
    await natsAuth?.stop();
    await central.close();
    await connection.close();
    await orm.close();
  });
  // Ready only once a signal would be handled: a supervisor may signal as soon as it reads this line.
  logger.info({ port, natsAuth: Boolean(natsAuth) }, 'OCPP central system running');
}

main().catch((err) => {
  logger.fatal({ err }, 'OCPP central system failed to start');
  process.exit(1);
});
