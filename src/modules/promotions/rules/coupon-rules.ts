import { AppError } from '../../../kernel/errors';

/** A coupon's state at a moment; `usable` is the only one apply accepts. */
export type CouponState = 'usable' | 'inactive' | 'not_started' | 'expired' | 'exhausted';

export interface CouponFacts {
  active: boolean;
  startsAt: Date | null;
  expiresAt: Date;
  totalLimit: number | null;
  usedCount: number;
}

/** In the order a user is told: a switched-off coupon is inactive even when it has also expired. */
export function couponState(c: CouponFacts, now: Date): CouponState {
  if (!c.active) return 'inactive';
  if (c.startsAt && c.startsAt > now) return 'not_started';
  if (c.expiresAt <= now) return 'expired';
  if (c.totalLimit !== null && c.usedCount >= c.totalLimit) return 'exhausted';
  return 'usable';
}

/** Codes are case-insensitive: stored and compared upper case. */
export const normalizeCouponCode = (code: string) => code.trim().toUpperCase();
export const COUPON_CODE = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

/** One distinct 4xx per refusal, so the app can say why. */
export const CouponErrors = {
  unknown: () => new AppError('COUPON_NOT_FOUND', 'No coupon has this code', 404),
  inactive: () => new AppError('COUPON_INACTIVE', 'This coupon has been switched off', 422),
  notStarted: () => new AppError('COUPON_NOT_STARTED', 'This coupon cannot be used yet', 422),
  expired: () => new AppError('COUPON_EXPIRED', 'This coupon has expired', 410),
  exhausted: () => new AppError('COUPON_EXHAUSTED', 'This coupon has been used up', 409),
  alreadyUsed: () => new AppError('COUPON_ALREADY_USED', 'You have already used this coupon', 409),
  codeTaken: () => new AppError('COUPON_CODE_TAKEN', 'A coupon with this code exists', 409),
  limitBelowUsage: (used: number) => new AppError('COUPON_LIMIT_BELOW_USAGE', `The coupon has been used ${used} times already`, 409),
};

export function refusalFor(state: Exclude<CouponState, 'usable'>): AppError {
  const byState = { inactive: CouponErrors.inactive, not_started: CouponErrors.notStarted, expired: CouponErrors.expired, exhausted: CouponErrors.exhausted };
  return byState[state]();
}
