import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { toAppError } from '../../src/kernel/errors';
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
    const sent = Date.now();
    const answers = await Promise.all(Array.from({ length: 50 }, () => fx.api().get('/api/app/health')));
    const spanMs = Date.now() - sent;
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const stamps = new Set(answers.map((a) => a.body.data.timestamp));
    // One probe per cache period: on a loaded machine the 50 answers can take longer than one period
    // (a fresh clone's CI saw 2 probes), never one probe per request.
    expect(stamps.size).toBeLessThanOrEqual(1 + Math.floor(spanMs / HEALTH_CACHE_MS));

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
    // Without the SDK's gRPC retry interceptor: the probe gives up at its timeout, but a retry the
    // interceptor had scheduled would fire after the close below and throw "Channel has been shut
    // down" from its timer (seen on a loaded run). Production keeps the retries; its connection stays open.
    const connection = await Connection.lazy({ address: `127.0.0.1:${(silent.address() as AddressInfo).port}`, interceptors: [] });
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

  it('when PostgreSQL or Temporal is away, then the request is answered 503 SERVICE_UNAVAILABLE, and a query that is wrong stays a 500', async () => {
    const url = process.env.DATABASE_URL!;
    // PostgreSQL restarting: an operator ends the backend under a connection (SQLSTATE 57P01).
    const held = new PgClient({ connectionString: url });
    held.on('error', () => undefined);
    await held.connect();
    const { rows } = await held.query<{ pid: number }>('select pg_backend_pid() as pid');
    await fx.stack.orm.em.getConnection().execute('select pg_terminate_backend(?)', [rows[0].pid]);
    const ended = await held.query('select 1').then(
      () => undefined,
      (err: unknown) => err,
    );
    await held.end().catch(() => undefined);
    // Nothing listening where the database or Temporal should be.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await new PgClient({ host: '127.0.0.1', port }).connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    const connection = await Connection.lazy({ address: `127.0.0.1:${port}`, connectTimeout: 500 });
    const noTemporal = await connection
      .withDeadline(Date.now() + 1_500, () => new Client({ connection }).workflow.getHandle('away').describe())
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    await connection.close().catch(() => undefined);
    for (const err of [ended, refused, noTemporal]) {
      expect(err).toHaveProperty('message'); // each call failed (an Error of pg's or gRPC's realm)
      expect(toAppError(err)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    }
    const wrong = await fx.stack.orm.em
      .getConnection()
      .execute('select no_such_column from users')
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(toAppError(wrong)).toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
  });
});
