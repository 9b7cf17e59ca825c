import type express from 'express';
import { createApp } from '../../api/app';
import { surfaceProfile } from '../../config';
import type { ApiDeps } from '../../api/deps';
import { wireLifecycleHooks } from './lifecycle-hooks';
import { createUsageStatsReader } from './usage-stats';
import { createAdminUserDetailReader } from './admin-user-detail';
import { createAdminAnalytics } from './admin-analytics';
import { attentionDesk } from '../../kernel/temporal/attention-desk';
import { openRentalBays, rentalsAttention } from '../../modules/rentals';
import { StationAdminService } from '../../modules/stations';
import { RequestMetrics } from '../../kernel/request-metrics';
import { paymentsAttention } from '../../modules/payments';
import { otpLocksAttention } from '../../modules/identity';
import { waterAttention } from '../../modules/dispensing';

type Composed = 'usageStats' | 'attention' | 'adminUserDetail' | 'stationAdmin' | 'metrics' | 'analytics';

/** The API process's dependencies: connections from the caller, the cross-module pieces wired here. */
export function composeApiDeps(base: Omit<ApiDeps, Composed>): ApiDeps {
  wireLifecycleHooks(base.orm, base.config);
  return {
    ...base,
    usageStats: createUsageStatsReader(base.orm, surfaceProfile(base.config, 'chargeghar').currency),
    adminUserDetail: createAdminUserDetailReader(base.orm, surfaceProfile(base.config, 'chargeghar').currency),
    metrics: new RequestMetrics(),
    // A station's bay count never drops below a bay an open rental started from.
    stationAdmin: new StationAdminService({ orm: base.orm, minBatteryPercent: base.config.RENTAL_MIN_BATTERY_PERCENT, openRentalBays }),
    // Every module that parks runs as needs_attention (and identity's OTP locks), behind one admin desk.
    attention: attentionDesk([rentalsAttention(base), paymentsAttention(base), otpLocksAttention(base), waterAttention(base)]),
    // Admin analytics: ChargeGhar's days are Nepal's (seed 001).
    analytics: createAdminAnalytics(base.orm, surfaceProfile(base.config, 'chargeghar').currency, 'Asia/Kathmandu'),
  };
}

/** The Express app of the API process (or a test), with every module wired. */
export function createApiApp(base: Omit<ApiDeps, Composed>): express.Express {
  return createApp(composeApiDeps(base));
}
