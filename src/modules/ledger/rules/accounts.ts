/**
 * Ledger accounts are identified by (owner, kind, currency). User accounts are guarded: their
 * balance can never go below zero except through a posting that explicitly allows it (a due).
 * System accounts (gateway clearing, revenue, fines, refunds, promotions) carry the other side
 * of every movement and may be negative.
 */
export const USER_ACCOUNT_KINDS = ['wallet', 'points'] as const;
/** `loan_receivable` (one per loan), `lender_funding`, `interest_income` and `foreclosure_fees`: the fleet product's loans (seed 004). */
export const SYSTEM_ACCOUNT_KINDS = [
  'gateway_clearing',
  'revenue',
  'fines',
  'refunds',
  'promotions',
  'loan_receivable',
  'lender_funding',
  'interest_income',
  'foreclosure_fees',
] as const;
export type AccountKind = (typeof USER_ACCOUNT_KINDS)[number] | (typeof SYSTEM_ACCOUNT_KINDS)[number];
export type OwnerType = 'user' | 'system' | 'gateway';

export interface AccountRef {
  ownerType: OwnerType;
  ownerId: string;
  kind: AccountKind;
  currency: string;
}

export const POINTS_CURRENCY = 'PTS';

/** A user's wallet in a product's currency (each product's wallet is its own account). */
export const userWallet = (userId: string, currency: string): AccountRef => ({ ownerType: 'user', ownerId: userId, kind: 'wallet', currency });
export const userPoints = (userId: string): AccountRef => ({ ownerType: 'user', ownerId: userId, kind: 'points', currency: POINTS_CURRENCY });
export const gatewayClearing = (gateway: string, currency: string): AccountRef => ({
  ownerType: 'gateway',
  ownerId: gateway,
  kind: 'gateway_clearing',
  currency,
});
export const systemAccount = (kind: Exclude<AccountKind, 'wallet' | 'points' | 'gateway_clearing'>, currency: string): AccountRef => ({
  ownerType: 'system',
  ownerId: 'platform',
  kind,
  currency,
});

export const isGuarded = (ref: Pick<AccountRef, 'ownerType' | 'kind'>): boolean => ref.ownerType === 'user';

export const accountKey = (a: AccountRef): string => `${a.ownerType}:${a.ownerId}:${a.kind}:${a.currency}`;

export interface PostingInput {
  account: AccountRef;
  /** Signed minor units of the account's currency; positive adds to the account's balance. */
  amountMinor: number;
  /** Lets a guarded account go below zero through this posting (a due). */
  allowNegative?: boolean;
}

/** Throws unless every amount is a non-zero safe integer and each currency sums to zero. */
export function assertBalanced(postings: PostingInput[]): void {
  if (postings.length < 2) throw new Error('a journal entry needs at least two postings');
  const sums = new Map<string, number>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor === 0) throw new Error(`posting amount must be a non-zero integer, got ${p.amountMinor}`);
    sums.set(p.account.currency, (sums.get(p.account.currency) ?? 0) + p.amountMinor);
  }
  for (const [currency, sum] of sums) if (sum !== 0) throw new Error(`journal entry is unbalanced in ${currency} by ${sum}`);
}
