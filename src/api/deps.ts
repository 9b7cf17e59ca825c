import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { DeviceBus } from '../kernel/devices/device-bus';
import type { GatewayRegistry } from '../modules/payments';
import type { StationAdminService } from '../modules/stations';
import type { AttentionSource } from '../kernel/temporal/attention-desk';
import type { RequestMetrics } from '../kernel/request-metrics';
import type { AdminAnalyticsReader } from './surfaces/chargeghar/schemas/analytics.schemas';

/** A user's numbers across modules (`GET /user/analytics/usage-stats`), composed by src/workers. */
export interface UsageStats {
  rentals: { total: number };
  topups: { count: number; total_minor: number; currency: string };
  points: { balance: number; earned: number };
  stations: { favorites: number; issue_reports: number };
  notifications: { unread: number };
  member_since: string | null;
}
export type UsageStatsReader = (userId: string) => Promise<UsageStats>;

/** An admin's view of one user across modules (`GET /admin/users/{id}`), composed by src/workers. */
export type AdminUserDetailReader = (userId: string) => Promise<Record<string, unknown> & { id: string; status: string }>;

/** What the HTTP layer is given; built by the composition root (src/workers/compose/api.ts). */
export interface ApiDeps {
  config: Config;
  orm: MikroORM;
  temporal: Client;
  bus: DeviceBus;
  /** Numbers of /user/analytics/usage-stats: each module's own counts. */
  usageStats: UsageStatsReader;
  /** GET /admin/users/{id}: profile, KYC, wallet and points, dues, rentals, devices, recent transactions. */
  adminUserDetail: AdminUserDetailReader;
  /** Admin station registry (create, change, bays), with rentals' open bays wired in. */
  stationAdmin: StationAdminService;
  /** This API process's request count, server errors and latency over the last minutes (system health). */
  metrics: RequestMetrics;
  /** Runs parked as needs_attention in every module, for GET/POST /admin/attention. */
  attention: AttentionSource;
  /** GET /admin/analytics/*: each module's own figures over one period (src/workers/compose/admin-analytics.ts). */
  analytics: AdminAnalyticsReader;
  /** Payment gateway adapters by name (`createGateways(config)`); top-ups and webhooks need them. */
  gateways?: GatewayRegistry;
}
