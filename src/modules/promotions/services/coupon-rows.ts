import type { CouponFacts } from '../rules/coupon-rules';

/** A `coupons` row as raw SQL returns it. */
export interface CouponRow {
  id: string;
  code: string;
  title: string;
  points: number;
  starts_at: string | Date | null;
  expires_at: string | Date;
  active: boolean;
  total_limit: number | null;
  per_user_limit: number;
  used_count: number;
  created_by: string;
  created_at: string | Date;
  updated_at: string | Date;
}

export const couponFacts = (r: CouponRow): CouponFacts => ({
  active: r.active,
  startsAt: r.starts_at ? new Date(r.starts_at) : null,
  expiresAt: new Date(r.expires_at),
  totalLimit: r.total_limit === null ? null : Number(r.total_limit),
  usedCount: Number(r.used_count),
});

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** What admins see of a coupon. */
export function presentCoupon(r: CouponRow, stats: { users: number; points_awarded: number }, state: string) {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    points: Number(r.points),
    starts_at: iso(r.starts_at),
    expires_at: iso(r.expires_at)!,
    active: r.active,
    status: state,
    total_limit: r.total_limit === null ? null : Number(r.total_limit),
    per_user_limit: Number(r.per_user_limit),
    usage: {
      used: Number(r.used_count),
      remaining: r.total_limit === null ? null : Number(r.total_limit) - Number(r.used_count),
      users: stats.users,
      points_awarded: stats.points_awarded,
    },
    created_by: r.created_by,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}
