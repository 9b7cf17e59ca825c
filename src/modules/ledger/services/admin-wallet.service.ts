import { AppError, Errors } from '../../../kernel/errors';
import { systemAccount, userWallet } from '../rules/accounts';
import { formatMinor } from '../../../kernel/money';
import type { LedgerService } from './ledger.service';
import { executor } from '../../../kernel/sql';
import { userContact } from '../../identity';

/**
 * An admin's manual wallet credit: one audited journal entry (who, why, which request), keyed
 * `admin-credit:<requestId>` so a retried request credits once.
 */
export class AdminWalletService {
  constructor(private readonly ledger: LedgerService) {}

  async addBalance(input: { adminId: string; userId: string; amountMinor: number; currency: string; reason: string; requestId: string }) {
    if (input.adminId === input.userId) throw new AppError('SELF_ACTION_FORBIDDEN', 'An admin cannot credit their own wallet', 403);
    if (!(await userContact(executor(this.ledger.orm), input.userId))) throw Errors.notFound('User');
    const entry = await this.ledger.post({
      key: `admin-credit:${input.requestId}`,
      type: 'admin_credit',
      userId: input.userId,
      createdBy: input.adminId,
      description: `Admin credit: ${input.reason}`,
      metadata: { reason: input.reason, admin_id: input.adminId, request_id: input.requestId },
      postings: [
        { account: userWallet(input.userId, input.currency), amountMinor: input.amountMinor },
        { account: systemAccount('promotions', input.currency), amountMinor: -input.amountMinor },
      ],
    });
    const summary = await this.ledger.walletSummary(input.userId, input.currency);
    return {
      transaction_id: entry.id,
      replayed: !entry.applied,
      user_id: input.userId,
      amount: formatMinor(input.amountMinor),
      reason: input.reason,
      added_by: entry.createdBy,
      request_id: input.requestId,
      created_at: entry.createdAt.toISOString(),
      wallet: summary,
    };
  }
}
