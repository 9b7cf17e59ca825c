import type { MikroORM } from '@mikro-orm/postgresql';
import { noRentalDues, type RentalDuesReader } from '../../payments/services/ports';
import { AdminWalletService } from './admin-wallet.service';
import { ChargeService } from './charge.service';
import { LedgerService } from './ledger.service';
import { PaymentOptionsService } from '../../rentals/services/payment-options.service';
import { PointsService } from './points.service';
import { ReferralService } from './referral.service';
import { TransactionsService } from '../../payments/services/transactions.service';

/** The ledger and everything built on it, from one ORM. */
export function createLedgerServices(orm: MikroORM, opts: { rentalDues?: RentalDuesReader } = {}) {
  const ledger = new LedgerService(orm);
  const points = new PointsService(ledger);
  return {
    ledger,
    points,
    referrals: new ReferralService(ledger, points),
    charges: new ChargeService(ledger),
    options: new PaymentOptionsService(ledger, opts.rentalDues ?? noRentalDues),
    transactions: new TransactionsService(ledger),
    adminWallet: new AdminWalletService(ledger),
  };
}
export type LedgerServices = ReturnType<typeof createLedgerServices>;
export { LedgerService, PointsService, ReferralService, ChargeService };
