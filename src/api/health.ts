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

/** Probes each dependency the API needs; every probe is bounded so health answers fast. */
export async function checkHealth(deps: { orm: MikroORM; temporal: Client; bus: DeviceBus }, timeoutMs = 2000): Promise<HealthReport> {
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
