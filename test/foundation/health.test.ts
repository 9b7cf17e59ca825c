import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { currentHealth, HEALTH_CACHE_MS } from '../../src/api/health';
import { useTestStack } from '../support/fixtures';

/**
 * Health under load: one probe in flight per process, its answer reused for HEALTH_CACHE_MS, so a
 * flood of checks neither queues probes nor turns a busy but healthy system into a 503.
 */
describe('health probes', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async () => ({}));

  it('when 50 checks arrive at once, then all answer 200 from one probe, and a check after the cache time probes again', async () => {
    await new Promise((r) => setTimeout(r, HEALTH_CACHE_MS + 10)); // nothing cached from the stack's start
    const answers = await Promise.all(Array.from({ length: 50 }, () => fx.api().get('/api/app/health')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const stamps = new Set(answers.map((a) => a.body.data.timestamp));
    expect(stamps.size).toBe(1);

    await new Promise((r) => setTimeout(r, HEALTH_CACHE_MS + 10));
    const later = await fx.api().get('/api/app/health');
    expect(later.status).toBe(200);
    expect(later.body.data.timestamp > [...stamps][0]).toBe(true);
  });

  it('when Temporal does not answer, then the report says temporal down within the probe timeout, once for all concurrent callers', async () => {
    // A TCP server that accepts and never speaks: the worst kind of dead dependency.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const connection = await Connection.lazy({ address: `127.0.0.1:${(silent.address() as AddressInfo).port}` });
    const deps = { orm: fx.stack.orm, temporal: new Client({ connection }), bus: fx.stack.bus };
    try {
      const started = Date.now();
      const reports = await Promise.all(Array.from({ length: 10 }, () => currentHealth(deps, 300)));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(reports[0]).toMatchObject({ status: 'degraded', temporal: 'down', database: 'connected', mqtt: 'connected' });
      expect(new Set(reports)).toEqual(new Set([reports[0]])); // the same report object: one probe
    } finally {
      await connection.close().catch(() => undefined);
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
