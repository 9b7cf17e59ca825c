import type { MikroORM } from '@mikro-orm/postgresql';
import { AdminWalletService } from './admin-wallet.service';
import { ChargeService } from './charge.service';
import { LedgerService } from './ledger.service';
import { PointsService } from './points.service';
import { ReferralService } from './referral.service';

/** The ledger and everything built on it, from one ORM. */
export function createLedgerServices(orm: MikroORM) {
  const ledger = new LedgerService(orm);
  const points = new PointsService(ledger);
  return {
    ledger,
    points,
    referrals: new ReferralService(ledger, points),
    charges: new ChargeService(ledger),
    adminWallet: new AdminWalletService(ledger),
  };
}
export type LedgerServices = ReturnType<typeof createLedgerServices>;
