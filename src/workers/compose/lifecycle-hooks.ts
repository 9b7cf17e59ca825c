import type { MikroORM } from '@mikro-orm/postgresql';
import { attachLedgerToRegistration } from '../../modules/ledger/services/registration';
import { registerRentalClosureChecks } from '../../modules/rentals/services/account-closure';
import { registerEngagementErasure } from './account-erasure';

/**
 * The one place where contexts attach to the user lifecycle that identity owns: the ledger opens
 * accounts at registration; engagement erases its personal data; rentals keep an account with an
 * open rental or due from being erased. Called once by the process that serves the API.
 */
export function wireLifecycleHooks(orm: MikroORM): void {
  attachLedgerToRegistration(orm);
  registerEngagementErasure();
  registerRentalClosureChecks();
}
