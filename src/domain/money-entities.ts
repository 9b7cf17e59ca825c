import { ReferralCode } from './engagement/referral-code.entity';
import { Referral } from './engagement/referral.entity';
import { JournalEntry } from './ledger/journal-entry.entity';
import { JournalPosting } from './ledger/journal-posting.entity';
import { LedgerAccount } from './ledger/ledger-account.entity';
import { PaymentIntent } from './payments/payment-intent.entity';
import { PaymentWebhookEvent } from './payments/payment-webhook-event.entity';
import { RefundRequest } from './payments/refund-request.entity';

/** Entities of the money contexts (ledger, payments, engagement). */
export const moneyEntities = [LedgerAccount, JournalEntry, JournalPosting, PaymentIntent, PaymentWebhookEvent, RefundRequest, ReferralCode, Referral];
export { LedgerAccount, JournalEntry, JournalPosting, PaymentIntent, PaymentWebhookEvent, RefundRequest, ReferralCode, Referral };
