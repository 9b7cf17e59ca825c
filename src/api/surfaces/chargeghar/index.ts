import type { SurfaceModule } from '../types';
import { adminStationRoutes } from './admin-stations.routes';
import { adminLiveRoutes } from './admin-live.routes';
import { authAccountRoutes } from './auth-account.routes';
import { authOtpRoutes } from './auth-otp.routes';
import { authSecurityRoutes } from './auth-security.routes';
import { healthRoutes } from './health.routes';
import { appInfoRoutes } from './app-info.routes';
import { appMediaRoutes } from './app-media.routes';
import { appStationRoutes } from './app-stations.routes';
import { contentRoutes } from './content.routes';
import { notificationRoutes } from './notifications.routes';
import { stationFeatureRoutes } from './station-features.routes';
import { userKycRoutes } from './user-kyc.routes';
import { userProfileRoutes } from './user-profile.routes';
import { adminWalletRoutes } from './admin-wallet.routes';
import { adminAttentionRoutes } from './admin-attention.routes';
import { adminLedgerRoutes } from './admin-ledger.routes';
import { paymentRoutes } from './payment.routes';
import { pointsRoutes } from './points.routes';
import { topupRoutes } from './topup.routes';
import { refundRoutes } from './refund.routes';
import { rentalRoutes } from './rentals.routes';
import { adminRentalReviewRoutes } from './admin-rental-review.routes';
import { adminCouponRoutes, promotionRoutes } from './promotions.routes';
import { adminUsersRoutes } from './admin-users.routes';
import { adminStationRegistryRoutes } from './admin-station-registry.routes';
import { adminSystemRoutes } from './admin-system.routes';
import { adminBroadcastRoutes } from './admin-broadcast.routes';
import { adminAnalyticsRoutes } from './admin-analytics.routes';
import { adminSocialRoutes, socialRoutes } from './social.routes';

/** ChargeGhar power-bank kiosks, Nepal (seeds 001 and 003). */
export const chargeghar = {
  title: 'ChargeGhar API',
  description: 'Power-bank rental kiosks (Nepal): seeds 001 and 003.',
  modules: [
    healthRoutes,
    adminStationRoutes,
    adminLiveRoutes,
    authOtpRoutes,
    authAccountRoutes,
    // Issue 10: sessions, log out everywhere, admins' second factor.
    authSecurityRoutes,
    // Issue 3: app, stations, content, profiles, KYC, notifications.
    appInfoRoutes,
    appMediaRoutes,
    appStationRoutes,
    stationFeatureRoutes,
    contentRoutes,
    userProfileRoutes,
    userKycRoutes,
    notificationRoutes,
    // Issue 4: payments, top-ups, refunds, points and referrals, admin wallet credit.
    paymentRoutes,
    topupRoutes,
    refundRoutes,
    pointsRoutes,
    adminWalletRoutes,
    adminLedgerRoutes,
    adminAttentionRoutes,
    // Issue 5: rentals (start, extend, cancel, location, issues, active, history, pay-due).
    rentalRoutes,
    // Failed ejects flagged for admins (eject watch).
    adminRentalReviewRoutes,
    // Issue 11: promotions (coupons; a super admin issues them).
    promotionRoutes,
    adminCouponRoutes,
    // Issue 11: admin users (list, detail, status).
    adminUsersRoutes,
    adminStationRegistryRoutes,
    adminSystemRoutes,
    adminBroadcastRoutes,
    // Issue 11: admin analytics.
    adminAnalyticsRoutes,
    // Issue 11: leaderboard and achievements.
    socialRoutes,
    adminSocialRoutes,
  ] as SurfaceModule[],
};
