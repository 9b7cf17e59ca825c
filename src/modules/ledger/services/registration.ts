import type { MikroORM } from '@mikro-orm/postgresql';
import type { Execute } from '../../../kernel/sql';
import { createLedgerServices } from './ledger-services';

/**
 * The ledger's part of a registration (identity's `onUserRegistered`, inside its transaction):
 * opens the wallet and points accounts, gives the signup bonus and links a referral code, so a
 * user never exists without them and a rolled-back registration leaves nothing behind.
 */
export function ledgerRegistrationListener(orm: MikroORM, walletCurrency: string) {
  const money = createLedgerServices(orm);
  return async ({ userId, referralCode }: { userId: string; referralCode: string | null }, tx: Execute): Promise<void> => {
    await money.points.onUserRegistered(userId, walletCurrency, tx);
    if (referralCode) await money.referrals.linkAtRegistration(userId, referralCode, tx);
  };
}
