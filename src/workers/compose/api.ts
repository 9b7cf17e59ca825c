import type express from 'express';
import { createApp } from '../../api/app';
import { surfaceProfile } from '../../config';
import type { ApiDeps } from '../../api/deps';
import { wireLifecycleHooks } from './lifecycle-hooks';
import { createUsageStatsReader } from './usage-stats';

/** The API process's dependencies: connections from the caller, the cross-module pieces wired here. */
export function composeApiDeps(base: Omit<ApiDeps, 'usageStats'>): ApiDeps {
  wireLifecycleHooks(base.orm, base.config);
  return { ...base, usageStats: createUsageStatsReader(base.orm, surfaceProfile(base.config, 'chargeghar').currency) };
}

/** The Express app of the API process (or a test), with every module wired. */
export function createApiApp(base: Omit<ApiDeps, 'usageStats'>): express.Express {
  return createApp(composeApiDeps(base));
}
