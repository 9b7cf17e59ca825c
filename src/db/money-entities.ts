import { ReferralCode } from '../modules/ledger/entities/referral-code.entity';
import { Referral } from '../modules/ledger/entities/referral.entity';
import { JournalEntry } from '../modules/ledger/entities/journal-entry.entity';
import { JournalPosting } from '../modules/ledger/entities/journal-posting.entity';
import { LedgerAccount } from '../modules/ledger/entities/ledger-account.entity';
import { PaymentIntent } from '../modules/payments/entities/payment-intent.entity';
import { PaymentWebhookEvent } from '../modules/payments/entities/payment-webhook-event.entity';
import { RefundRequest } from '../modules/payments/entities/refund-request.entity';

/** Entities of the money contexts (ledger, payments, engagement). */
export const moneyEntities = [LedgerAccount, JournalEntry, JournalPosting, PaymentIntent, PaymentWebhookEvent, RefundRequest, ReferralCode, Referral];
export { LedgerAccount, JournalEntry, JournalPosting, PaymentIntent, PaymentWebhookEvent, RefundRequest, ReferralCode, Referral };
