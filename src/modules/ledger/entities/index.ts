import { JournalEntry } from './journal-entry.entity';
import { JournalPosting } from './journal-posting.entity';
import { LedgerAccount } from './ledger-account.entity';
import { ReferralCode } from './referral-code.entity';
import { Referral } from './referral.entity';
import { LedgerRollup } from './ledger-rollup.entity';

/** The ledger module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const ledgerEntities = [JournalEntry, JournalPosting, LedgerAccount, ReferralCode, Referral, LedgerRollup];
export { JournalEntry, JournalPosting, LedgerAccount, ReferralCode, Referral, LedgerRollup };
