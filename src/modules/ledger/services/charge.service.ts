import { AppError } from '../../../kernel/errors';
import { POINTS_CURRENCY, systemAccount, userPoints, userWallet, type PostingInput } from '../rules/accounts';
import type { EntryType } from '../entities/journal-entry.entity';
import { splitPayment, type Breakdown, type PaymentMode } from '../rules/payment-options';
import type { LedgerService, PostedEntry } from './ledger.service';

export interface ChargeInput {
  /** Idempotency key from the cause: `rental-charge:<rentalId>`, `fine:<rentalId>`, `due:<rentalId>`. */
  key: string;
  userId: string;
  amountMinor: number;
  /** The wallet's currency (the product's). */
  currency: string;
  mode?: PaymentMode;
  type?: EntryType;
  /** Where the money goes: revenue (default) or fines. */
  to?: 'revenue' | 'fines';
  description?: string;
  metadata?: Record<string, unknown>;
  /** Post-payment: what points and wallet cannot cover becomes a due (negative wallet). */
  allowDue?: boolean;
}

export function chargePostings(input: ChargeInput, split: Breakdown): PostingInput[] {
  const to = systemAccount(input.to ?? 'revenue', input.currency);
  const out: PostingInput[] = [];
  if (split.pointsUsed > 0) {
    out.push({ account: userPoints(input.userId), amountMinor: -split.pointsUsed });
    out.push({ account: systemAccount('promotions', POINTS_CURRENCY), amountMinor: split.pointsUsed });
    out.push({ account: systemAccount('promotions', input.currency), amountMinor: -split.pointsValueMinor });
  }
  const fromWallet = split.walletUsedMinor + (input.allowDue ? split.shortfallMinor : 0);
  if (fromWallet > 0)
    out.push({ account: userWallet(input.userId, input.currency), amountMinor: -fromWallet, allowNegative: input.allowDue && split.shortfallMinor > 0 });
  out.push({ account: to, amountMinor: split.pointsValueMinor + fromWallet });
  return out;
}

/**
 * Charges a user points-first-then-wallet (or points only / wallet only), exactly once per key.
 * The split is planned from the balances and re-planned if a concurrent payment changed them.
 */
export class ChargeService {
  constructor(private readonly ledger: LedgerService) {}

  async charge(input: ChargeInput): Promise<PostedEntry & { breakdown: Breakdown }> {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
      throw new AppError('INVALID_AMOUNT', 'Amount must be a positive integer of minor units', 400);
    const existing = await this.ledger.findByKey(input.key);
    if (existing) return { ...existing, breakdown: breakdownOf(existing, input.amountMinor) };
    for (let attempt = 1; ; attempt++) {
      const { walletMinor, points } = await this.ledger.balances(input.userId, input.currency);
      const split = splitPayment(input.amountMinor, walletMinor, points, input.mode ?? 'points_first');
      if (!split.sufficient && !input.allowDue) {
        throw new AppError('INSUFFICIENT_BALANCE', 'Not enough points and wallet balance for this payment', 402, { shortfall_minor: split.shortfallMinor });
      }
      try {
        const entry = await this.ledger.post({
          key: input.key,
          type: input.type ?? 'rental_charge',
          userId: input.userId,
          description: input.description,
          metadata: { ...input.metadata, mode: input.mode ?? 'points_first' },
          postings: chargePostings(input, split),
        });
        return { ...entry, breakdown: entry.applied ? split : breakdownOf(entry, input.amountMinor) };
      } catch (err) {
        if ((err as AppError).code !== 'INSUFFICIENT_BALANCE' || attempt >= 3) throw err;
      }
    }
  }
}

/** The split an already-posted charge used, read back from its postings. */
function breakdownOf(entry: PostedEntry, amountMinor: number): Breakdown {
  const mine = (kind: string) => entry.postings.filter((l) => l.ownerType === 'user' && l.kind === kind).reduce((s, l) => s - l.amountMinor, 0);
  const pointsUsed = mine('points');
  const wallet = mine('wallet');
  const pointsValueMinor = amountMinor - wallet;
  return { amountMinor, pointsUsed, pointsValueMinor, walletUsedMinor: wallet, shortfallMinor: 0, sufficient: true };
}
