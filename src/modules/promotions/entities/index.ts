import { Coupon } from './coupon.entity';
import { CouponRedemption } from './coupon-redemption.entity';

/** The promotions module's MikroORM entities (its tables). */
export const promotionsEntities = [Coupon, CouponRedemption];
export { Coupon, CouponRedemption };
