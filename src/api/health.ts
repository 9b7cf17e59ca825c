import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { DeviceBus } from '../kernel/devices/device-bus';

export type DependencyState = 'connected' | 'down';
export interface HealthReport {
  status: 'healthy' | 'degraded';
  database: DependencyState;
  temporal: DependencyState;
  mqtt: DependencyState;
  uptime_seconds: number;
  timestamp: string;
}

const started = Date.now();

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

type HealthDeps = { orm: MikroORM; temporal: Client; bus: DeviceBus };

/** How long one probe's answer is reused: a busy but healthy system answers from it instead of queueing probes. */
export const HEALTH_CACHE_MS = 1000;
/** Per Temporal client (one per process) and probe timeout: the last probe, and when it settled (undefined while in flight). */
const cached = new WeakMap<Client, Map<number, { settledAt?: number; report: Promise<HealthReport> }>>();

/**
 * Health as load balancers and admins ask for it: at most one probe in flight per process (and per
 * probe timeout), and its answer reused for `HEALTH_CACHE_MS` after it settles, so a flood of
 * health checks costs one round of probes a second and never queues probes behind each other.
 */
export function currentHealth(deps: HealthDeps, timeoutMs = 2000): Promise<HealthReport> {
  let byTimeout = cached.get(deps.temporal);
  if (!byTimeout) cached.set(deps.temporal, (byTimeout = new Map()));
  const last = byTimeout.get(timeoutMs);
  if (last && (last.settledAt === undefined || Date.now() - last.settledAt < HEALTH_CACHE_MS)) return last.report;
  const entry: { settledAt?: number; report: Promise<HealthReport> } = { report: checkHealth(deps, timeoutMs) };
  void entry.report.finally(() => (entry.settledAt = Date.now()));
  byTimeout.set(timeoutMs, entry);
  return entry.report;
}

/** Probes each dependency the API needs; every probe is bounded so health answers fast. */
export async function checkHealth(deps: HealthDeps, timeoutMs = 2000): Promise<HealthReport> {
  const probe = async (fn: () => Promise<unknown>): Promise<DependencyState> => {
    try {
      await withTimeout(fn(), timeoutMs);
      return 'connected';
    } catch {
      return 'down';
    }
  };
  const [database, temporal, mqtt] = await Promise.all([
    probe(() => deps.orm.em.getConnection().execute('select 1')),
    probe(() => deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({}))),
    probe(async () => {
      if (!deps.bus.connected) throw new Error('mqtt down');
    }),
  ]);
  const healthy = database === 'connected' && temporal === 'connected' && mqtt === 'connected';
  return {
    status: healthy ? 'healthy' : 'degraded',
    database,
    temporal,
    mqtt,
    uptime_seconds: Math.round((Date.now() - started) / 1000),
    timestamp: new Date().toISOString(),
  };
}
