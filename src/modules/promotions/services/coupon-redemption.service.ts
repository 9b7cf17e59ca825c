import type { MikroORM } from '@mikro-orm/postgresql';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { executor, inTransaction } from '../../../kernel/sql';
import { pointsKeys, type PointsService } from '../../ledger';
import { CouponErrors, couponState, normalizeCouponCode, refusalFor } from '../rules/coupon-rules';
import { couponFacts, type CouponRow } from './coupon-rows';

/**
 * A user applies a coupon: its points are added once per allowed use. The coupon's row is locked
 * for the whole check-count-award transaction, so concurrent applications queue and `used_count`
 * never passes `total_limit` (a check constraint backs this); the award is a ledger entry keyed
 * by (coupon, user, n), so nothing is awarded twice.
 */
export class CouponRedemptionService {
  constructor(private readonly deps: { orm: MikroORM; points: PointsService }) {}

  async apply(userId: string, rawCode: string) {
    const code = normalizeCouponCode(rawCode);
    return inTransaction(this.deps.orm, async (tx) => {
      const [row] = (await tx(`select * from coupons where code = ? for update`, [code])) as CouponRow[];
      if (!row) throw CouponErrors.unknown();
      const [{ now }] = await tx(`select now() as now`);
      const state = couponState(couponFacts(row), new Date(now));
      if (state !== 'usable') throw refusalFor(state);
      const [{ used }] = await tx(`select count(*)::int as used from coupon_redemptions where coupon_id = ? and user_id = ?`, [row.id, userId]);
      if (used >= row.per_user_limit) throw CouponErrors.alreadyUsed();
      const seq = used + 1;
      const entry = await this.deps.points.award(
        { key: pointsKeys.coupon(row.id, userId, seq), userId, points: row.points, reason: 'coupon', description: `Coupon ${row.code}` },
        tx,
      );
      const [redemption] = await tx(
        `insert into coupon_redemptions (id, coupon_id, user_id, seq, points, entry_id) values (gen_random_uuid(), ?, ?, ?, ?, ?) returning id, created_at`,
        [row.id, userId, seq, row.points, entry.id],
      );
      await tx(`update coupons set used_count = used_count + 1, updated_at = now() where id = ?`, [row.id]);
      return {
        redemption_id: String(redemption.id),
        coupon_code: row.code,
        points_awarded: row.points,
        redeemed_at: new Date(redemption.created_at).toISOString(),
      };
    });
  }

  /** The coupons this user used, newest first, with each coupon's state now. */
  async mine(userId: string, q: Pagination) {
    const sql = executor(this.deps.orm);
    const [{ total }] = await sql(`select count(*)::int as total from coupon_redemptions where user_id = ?`, [userId]);
    const rows = await sql(
      `select r.id as redemption_id, r.points as points_awarded, r.created_at as redeemed_at, c.*
       from coupon_redemptions r join coupons c on c.id = r.coupon_id where r.user_id = ? order by r.created_at desc, r.id limit ? offset ?`,
      [userId, q.page_size, offsetOf(q)],
    );
    const now = new Date();
    return pageOf(
      rows.map((r: CouponRow & { redemption_id: string; points_awarded: number; redeemed_at: string }) => ({
        redemption_id: String(r.redemption_id),
        code: r.code,
        title: r.title,
        points_awarded: Number(r.points_awarded),
        redeemed_at: new Date(r.redeemed_at).toISOString(),
        coupon_status: couponState(couponFacts(r), now),
        expires_at: new Date(r.expires_at).toISOString(),
      })),
      total,
      q,
    );
  }
}
