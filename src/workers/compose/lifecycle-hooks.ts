import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import { surfaceProfile } from '../../config';
import { eraseEngagementData } from '../../modules/engagement';
import { AccountClosureGuard, addAccountErasureStep, addUserRegisteredListener } from '../../modules/identity';
import { ledgerRegistrationListener } from '../../modules/ledger';
import { rentalClosureChecks } from '../../modules/rentals';
import { eraseStationData } from '../../modules/stations';

let wired = false;

/**
 * The one place where modules attach to the user lifecycle that identity owns: the ledger opens
 * accounts at registration (inside its transaction); engagement and stations erase or detach
 * their personal data at erasure; rentals keep an account with an open rental or due from being
 * erased. Once per process.
 */
export function wireLifecycleHooks(orm: MikroORM, config: Config): void {
  if (wired) return;
  wired = true;
  // A new account gets the wallet of the product it registered through (today the power-bank app's).
  addUserRegisteredListener(ledgerRegistrationListener(orm, surfaceProfile(config, 'chargeghar').currency));
  addAccountErasureStep(eraseEngagementData);
  addAccountErasureStep(eraseStationData);
  for (const check of rentalClosureChecks(orm)) AccountClosureGuard.register(check);
}
