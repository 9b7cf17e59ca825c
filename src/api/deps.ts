import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { DeviceBus } from '../kernel/devices/device-bus';
import type { UsageStatsReader } from '../workers/compose/usage-stats';
import type { WalletReader } from '../modules/ledger/services/wallet-summary';
import type { RentalDuesReader } from '../modules/payments/services/ports';
import type { GatewayRegistry } from '../modules/payments/services/gateways';

/** What the HTTP layer is given; built by the API entry point or a test. */
export interface ApiDeps {
  config: Config;
  orm: MikroORM;
  temporal: Client;
  bus: DeviceBus;
  /** Wallet balance and points for /user/wallet; zero until the ledger supplies one. */
  wallet?: WalletReader;
  /** Numbers of /user/analytics/usage-stats; defaults to the tables that exist. */
  usageStats?: UsageStatsReader;
  /** Post-payment rental dues for calculate-options (rentals context); none by default. */
  rentalDues?: RentalDuesReader;
  /** Payment gateway adapters by name (`createGateways(config)`); top-ups and webhooks need them. */
  gateways?: GatewayRegistry;
}
