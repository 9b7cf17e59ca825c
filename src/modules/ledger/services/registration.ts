import type { MikroORM } from '@mikro-orm/postgresql';
import { addUserRegisteredListener } from '../../identity/services/user-lifecycle';
import { createLedgerServices } from './ledger-services';

let attached = false;

/**
 * Hooks the ledger into registration (identity's `onUserRegistered`, inside its transaction):
 * opens the wallet and points accounts, gives the signup bonus and links a referral code, so a
 * user never exists without them and a rolled-back registration leaves nothing behind.
 */
export function attachLedgerToRegistration(orm: MikroORM): void {
  if (attached) return;
  attached = true;
  const money = createLedgerServices(orm);
  addUserRegisteredListener(async ({ userId, referralCode }, tx) => {
    await money.points.onUserRegistered(userId, tx);
    if (referralCode) await money.referrals.linkAtRegistration(userId, referralCode, tx);
  });
}
