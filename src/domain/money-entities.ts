import { JournalEntry } from './ledger/journal-entry.entity';
import { JournalPosting } from './ledger/journal-posting.entity';
import { LedgerAccount } from './ledger/ledger-account.entity';

/** Entities of the money contexts (ledger, payments, engagement). */
export const moneyEntities = [LedgerAccount, JournalEntry, JournalPosting];
export { LedgerAccount, JournalEntry, JournalPosting };
