import type express from 'express';
import { createApp } from '../../api/app';
import { surfaceProfile } from '../../config';
import type { ApiDeps } from '../../api/deps';
import { wireLifecycleHooks } from './lifecycle-hooks';
import { createUsageStatsReader } from './usage-stats';
import { createAdminAnalytics } from './admin-analytics';
import { attentionDesk } from '../../kernel/temporal/attention-desk';
import { rentalsAttention } from '../../modules/rentals';
import { paymentsAttention } from '../../modules/payments';

type Composed = 'usageStats' | 'attention' | 'analytics';

/** The API process's dependencies: connections from the caller, the cross-module pieces wired here. */
export function composeApiDeps(base: Omit<ApiDeps, Composed>): ApiDeps {
  wireLifecycleHooks(base.orm, base.config);
  return {
    ...base,
    usageStats: createUsageStatsReader(base.orm, surfaceProfile(base.config, 'chargeghar').currency),
    // Every module that parks runs as needs_attention, behind one admin desk.
    attention: attentionDesk([rentalsAttention(base), paymentsAttention(base)]),
    // Admin analytics: ChargeGhar's days are Nepal's (seed 001).
    analytics: createAdminAnalytics(base.orm, surfaceProfile(base.config, 'chargeghar').currency, 'Asia/Kathmandu'),
  };
}

/** The Express app of the API process (or a test), with every module wired. */
export function createApiApp(base: Omit<ApiDeps, Composed>): express.Express {
  return createApp(composeApiDeps(base));
}
