import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../../kernel/errors';
import { ChargeService, LedgerService, type ChargeInput } from '../../ledger';
import { rentalKeys } from '../rules/keys';
import { isUniqueViolation } from '../../../kernel/sql';

/** The money steps of the `rental:<id>` workflow, each keyed in the ledger by its cause. */
export function createRentalMoneyActivities({ orm }: { orm: MikroORM }) {
  const ledger = new LedgerService(orm);
  const charges = new ChargeService(ledger);

  return {
    /**
     * Takes a rental amount points-first-then-wallet (or as asked), once per key. Without
     * `allowDue` a shortfall is a final `InsufficientBalance` failure carrying `shortfall_minor`;
     * with it, the shortfall becomes a due (negative wallet) and is returned.
     */
    async chargeRental(input: ChargeInput): Promise<{ entryId: string; pointsUsed: number; walletUsedMinor: number; dueMinor: number }> {
      try {
        const e = await charges.charge(input);
        // Read back from the postings, so a retry after the entry was applied reports the same due.
        const wallet = e.postings.find((p) => p.ownerType === 'user' && p.kind === 'wallet');
        const walletDebit = wallet && wallet.amountMinor < 0 ? -wallet.amountMinor : 0;
        const dueMinor = wallet ? Math.min(walletDebit, Math.max(0, -wallet.balanceAfterMinor)) : 0;
        return { entryId: e.id, pointsUsed: e.breakdown.pointsUsed, walletUsedMinor: walletDebit - dueMinor, dueMinor };
      } catch (err) {
        if (err instanceof AppError && err.code === 'INSUFFICIENT_BALANCE') {
          throw ApplicationFailure.create({ type: 'InsufficientBalance', message: err.message, nonRetryable: true, details: [err.details ?? {}] });
        }
        throw err;
      }
    },

    /**
     * Compensation of a charge: reverses each entry taken (points back to points, wallet to wallet),
     * once. An entry already reversed another way (an admin approved its refund) counts as refunded:
     * the money went back once, and the one-reversal-per-entry rule is never hit.
     */
    async refundRentalCharges(input: {
      rentalId: string;
      userId: string;
      currency: string;
      keys: string[];
      reason: string;
    }): Promise<{ refundedMinor: number }> {
      let refundedMinor = 0;
      for (const key of input.keys) {
        const entry = await ledger.findByKey(key);
        if (!entry) continue;
        const reversal = {
          key: rentalKeys.refund(key),
          type: 'refund' as const,
          userId: input.userId,
          description: `Rental refund: ${input.reason}`,
          metadata: { rental_id: input.rentalId, refunds: key },
        };
        if (!(await ledger.findReversalOf(entry.id))) {
          try {
            await ledger.reverse(entry.id, reversal);
          } catch (err) {
            // Reversed by another path a moment ago (the unique index allows one reversal): refunded all the same.
            if (!isUniqueViolation(err) || !(await ledger.findReversalOf(entry.id))) throw err;
          }
        }
        refundedMinor += entry.postings
          .filter((p) => p.ownerType === 'system')
          .reduce((s, p) => s + (p.currency === input.currency ? Math.max(0, p.amountMinor) : 0), 0);
      }
      return { refundedMinor };
    },
  };
}
