import { createApp } from '../api/app';
import { loadConfigOrExit } from '../config';
import { createGateways } from '../modules/payments/gateways/registry';
import { ledgerWalletReader } from '../modules/ledger/services/wallet-reader';
import { logger } from '../kernel/logger';
import { RentalDuesService } from '../modules/rentals/services/dues.service';
import { connectAll, onShutdown } from './bootstrap';

async function main() {
  const config = loadConfigOrExit();
  const deps = await connectAll(config, 'api');
  const app = createApp({ config, ...deps, gateways: createGateways(config), wallet: ledgerWalletReader,
    rentalDues: new RentalDuesService({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE }) });
  const server = app.listen(config.PORT, () => {
    logger.info({ port: config.PORT, surfaces: config.SURFACES }, 'API listening');
  });
  onShutdown('api', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.close();
  });
}

main().catch((err) => { logger.fatal({ err }, 'API failed to start'); process.exit(1); });
