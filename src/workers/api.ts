import { loadConfigOrExit } from '../config';
import { endAllStreams } from '../api/http/sse';
import { logger } from '../kernel/logger';
import { gatewaysFor } from './compose/gateways';
import { connectAll, onShutdown } from './bootstrap';
import { createApiApp } from './compose/api';
import { startMetricsServer } from './metrics-server';
import { startTracing } from './tracing';

async function main() {
  const config = loadConfigOrExit();
  const tracing = startTracing(config, 'api');
  const deps = await connectAll(config, 'api');
  const app = createApiApp({ config, ...deps, gateways: gatewaysFor(config) });
  const metrics = await startMetricsServer(config, 'api');
  // The ready line comes from listen's callback, after the shutdown handlers below are in place.
  const server = app.listen(config.PORT, () => {
    logger.info({ port: config.PORT, surfaces: config.SURFACES }, 'API listening');
  });
  onShutdown('api', async () => {
    // The console's live streams stay open for minutes: end them so the server's close does not wait for them.
    endAllStreams();
    await metrics?.close();
    await tracing?.shutdown();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.close();
  });
}

main().catch((err) => {
  logger.fatal({ err }, 'API failed to start');
  process.exit(1);
});
