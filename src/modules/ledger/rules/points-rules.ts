/**
 * The points rules of seed 001, in one place. 10 points = NPR 1, so one point is worth
 * 10 paisa. Every award has an idempotency key derived from its cause, so a retried activity
 * never awards twice.
 */
export const POINTS_PER_NPR = 10;
export const PAISA_PER_POINT = 100 / POINTS_PER_NPR; // 10

export const POINTS = {
  signup: 50,
  referralInviter: 100,
  referralInvitee: 50,
  /** Per full NPR 100 topped up. */
  topupPer100: 10,
  completedRental: 5,
} as const;

export type PointsReason =
  'signup' | 'referral_inviter' | 'referral_invitee' | 'topup' | 'rental' | 'redeem' | 'refund' | 'adjustment' | 'coupon' | 'timely_return' | 'achievement';

/** NPR 250 (25000 paisa) → 20 points; below NPR 100 → 0. */
export function topupPoints(amountMinor: number): number {
  return Math.floor(amountMinor / 10_000) * POINTS.topupPer100;
}

export const pointsToMinor = (points: number): number => points * PAISA_PER_POINT;

/** Idempotency keys of every award. */
export const pointsKeys = {
  signup: (userId: string) => `points:signup:${userId}`,
  topup: (intentId: string) => `points:topup:${intentId}`,
  rental: (rentalId: string) => `points:rental:${rentalId}`,
  referralInviter: (inviteeId: string) => `points:referral-inviter:${inviteeId}`,
  referralInvitee: (inviteeId: string) => `points:referral-invitee:${inviteeId}`,
  /** The `seq`-th use of a coupon by a user. */
  coupon: (couponId: string, userId: string, seq: number) => `points:coupon:${couponId}:${userId}:${seq}`,
};

export interface PointsAward {
  key: string;
  userId: string;
  points: number;
  reason: PointsReason;
  description: string;
}

export const signupAward = (userId: string): PointsAward => ({
  key: pointsKeys.signup(userId),
  userId,
  points: POINTS.signup,
  reason: 'signup',
  description: 'Welcome bonus',
});

export const topupAward = (userId: string, intentId: string, amountMinor: number): PointsAward | null => {
  const points = topupPoints(amountMinor);
  return points > 0
    ? { key: pointsKeys.topup(intentId), userId, points, reason: 'topup', description: `Top-up reward (${points / POINTS.topupPer100} × NPR 100)` }
    : null;
};

export const rentalAward = (userId: string, rentalId: string): PointsAward => ({
  key: pointsKeys.rental(rentalId),
  userId,
  points: POINTS.completedRental,
  reason: 'rental',
  description: 'Completed rental',
});

export const referralAwards = (inviterId: string, inviteeId: string): PointsAward[] => [
  {
    key: pointsKeys.referralInviter(inviteeId),
    userId: inviterId,
    points: POINTS.referralInviter,
    reason: 'referral_inviter',
    description: 'Referral reward: your friend completed a rental',
  },
  {
    key: pointsKeys.referralInvitee(inviteeId),
    userId: inviteeId,
    points: POINTS.referralInvitee,
    reason: 'referral_invitee',
    description: 'Referral reward: welcome from your friend',
  },
];
