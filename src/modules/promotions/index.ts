/**
 * Promotions: coupons a super admin issues (points only, for now) and their redemptions. A
 * redemption's points are a ledger entry (PointsService); this module owns coupons and
 * coupon_redemptions.
 */
export { promotionsEntities } from './entities';
export { COUPON_CODE, couponState, normalizeCouponCode, type CouponState } from './rules/coupon-rules';
export { CouponAdminService, type CouponInput, type CouponPatch, type CouponListQuery } from './services/coupon-admin.service';
export { CouponRedemptionService } from './services/coupon-redemption.service';
