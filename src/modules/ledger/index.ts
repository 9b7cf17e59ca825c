/**
 * Ledger: the double-entry journal (accounts, entries, postings; idempotent on each entry's key),
 * points and referrals, charges that take points first and then the wallet, the finance report.
 * Other modules move money only through LedgerService / ChargeService / PointsService here, and
 * read balances through LedgerService.balances or the wallet reader.
 */
export { ledgerEntities } from './entities';
export type { EntryType } from './entities/journal-entry.entity';
export { POINTS_CURRENCY, gatewayClearing, systemAccount, userPoints, userWallet, type AccountRef, type PostingInput } from './rules/accounts';
export { PAYMENT_MODES, splitPayment, type Breakdown, type PaymentMode } from './rules/payment-options';
export { pointsKeys, pointsToMinor, type PointsAward } from './rules/points-rules';

export { LedgerService, type PostedEntry, type PostEntryInput, type Sql } from './services/ledger.service';
export { ChargeService, type ChargeInput } from './services/charge.service';
export { PointsService } from './services/points.service';
export { ReferralService, completedReferralInviter } from './services/referral.service';
export { createLedgerServices, type LedgerServices } from './services/ledger-services';
export { LedgerReportService } from './services/ledger-report.service';
export { readWallet, pointsEarned, type WalletSummary } from './services/wallet-reader';
export { ledgerRegistrationListener } from './services/registration';

export { createLedgerActivities, type LedgerActivities, type LedgerActivityDeps } from './activities/ledger.activities';
export { walletEntries, walletEntry, type WalletEntry, type WalletEntryFilter } from './services/wallet-entries';
export { ledgerAnalytics, type LedgerAnalytics, type RollupLine } from './services/ledger-analytics';
