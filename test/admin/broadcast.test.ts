import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sql } from '../support/db';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken, eventually } from '../support/stack';
import { deleteSweepSchedules, spawnStackWorker, type WorkerProcess } from '../support/workers';

/** Seed 001 Admin › System › Broadcast: a workflow that fans out in batches, once per user, across worker restarts. */
describe('admin broadcast', () => {
  let worker: WorkerProcess | undefined;
  const killWorker = async () => {
    const dying = worker;
    worker = undefined;
    return dying?.kill();
  };
  // 100 users a batch, 8 batches a run: 10,000 users take 100 batches in 13 runs (continue-as-new).
  const fx = useTestStack({ worker: false, bridge: false, env: { BROADCAST_BATCH_SIZE: '100', BROADCAST_BATCHES_PER_RUN: '8' } }, async ({ stack }, s) => {
    s.defer(() => deleteSweepSchedules(stack));
    s.defer(killWorker);
    worker = await spawnStackWorker(stack);
    return { admin: await adminToken(stack) };
  });
  const post = (body: object, token = fx.admin) =>
    request(fx.stack.baseUrl).post('/api/admin/system/broadcast').set('Authorization', `Bearer ${token}`).send(body);
  const progress = async (id: string) =>
    (await request(fx.stack.baseUrl).get(`/api/admin/system/broadcast/${id}`).set('Authorization', `Bearer ${fx.admin}`)).body.data as {
      status: string;
      delivered: number;
      batches: number;
    };

  it('when an admin broadcasts to 10,000 users and the worker is killed mid-way, then a new worker finishes it and every user gets it exactly once', async () => {
    // 10,000 users registered on one day of 1990 (the segment), plus a banned one who gets nothing.
    const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000);
    await sql(
      fx.stack,
      `insert into users (id, role, status, created_at) select gen_random_uuid(), 'customer', 'active', ?::timestamptz + i * interval '1 second' from generate_series(1, 10000) i`,
      [day.toISOString()],
    );
    await sql(
      fx.stack,
      `insert into users (id, role, status, created_at) values (gen_random_uuid(), 'customer', 'banned', ?::timestamptz + interval '1 hour')`,
      [day.toISOString()],
    );
    const segment = { registered_from: day.toISOString(), registered_to: new Date(day.getTime() + 86_400_000).toISOString() };
    const broadcastId = randomUUID();
    const message = { broadcast_id: broadcastId, title: 'Maintenance tonight', body: 'Kiosks pause 01:00-02:00.', segment };
    const started = Date.now();
    const accepted = await post(message);
    expect(accepted.status).toBe(202);
    expect(accepted.body.data).toMatchObject({ broadcast_id: broadcastId, workflow_id: `broadcast:${broadcastId}`, status: 'running' });

    // A crash part-way: SIGKILL, nothing shuts down.
    const before = await eventually(
      async () => {
        const p = await progress(broadcastId);
        return p.delivered >= 1000 ? p : undefined;
      },
      60_000,
      20,
    );
    expect(await killWorker()).toBe('SIGKILL');
    expect(before.status).toBe('running');
    const whileDown = await progress(broadcastId);
    expect(whileDown.delivered).toBeLessThan(10_000);
    // The same broadcast id again while it runs: the same broadcast, nothing new.
    expect((await post(message)).body.data).toMatchObject({ broadcast_id: broadcastId });

    worker = await spawnStackWorker(fx.stack);
    const done = await eventually(
      async () => {
        const p = await progress(broadcastId);
        return p.status === 'completed' ? p : undefined;
      },
      120_000,
      200,
    );
    const seconds = (Date.now() - started) / 1000;
    expect(done).toMatchObject({ delivered: 10_000, batches: 101 });
    const [counts] = await sql(
      fx.stack,
      `select count(*)::int as notifications, count(distinct user_id)::int as users from notifications where type = 'broadcast' and data->>'broadcast_id' = ?`,
      [broadcastId],
    );
    expect(counts).toEqual({ notifications: 10_000, users: 10_000 });
    // Continue-as-new kept each run's history small: one execution per 8 batches.
    const runs = await eventually(
      async () => {
        let n = 0;
        for await (const _ of fx.stack.temporal.workflow.list({ query: `WorkflowId = 'broadcast:${broadcastId}'` })) n++;
        return n >= 13 ? n : undefined;
      },
      30_000,
      500,
    );
    expect(runs).toBe(13);
    const history = await fx.stack.temporal.workflow.getHandle(`broadcast:${broadcastId}`).fetchHistory();
    expect(history.events!.length).toBeLessThan(200);
    // Posting the finished broadcast again sends nothing.
    expect((await post(message)).body.data).toMatchObject({ status: 'completed', delivered: 10_000 });
    expect((await sql(fx.stack, `select count(*)::int as n from notifications where data->>'broadcast_id' = ?`, [broadcastId]))[0].n).toBe(10_000);
    process.stdout.write(`broadcast to 10,000 users with a worker kill: ${seconds.toFixed(1)} s\n`);
  }, 240_000);

  it('when a broadcast id is reused for another message, or the body is bad, or a customer calls, then 409 / 400 / 403', async () => {
    const broadcastId = randomUUID();
    const segment = { registered_from: '1980-01-01', registered_to: '1980-01-02' };
    expect((await post({ broadcast_id: broadcastId, title: 'One', body: 'First', segment })).status).toBe(202);
    const reused = await post({ broadcast_id: broadcastId, title: 'Two', body: 'Other', segment });
    expect({ status: reused.status, code: reused.body.error?.code }).toEqual({ status: 409, code: 'BROADCAST_ID_REUSED' });
    const bad = await post({ broadcast_id: 'nope', title: '', body: 'x' });
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const customer = await post({ broadcast_id: randomUUID(), title: 'x', body: 'y' }, await customerToken(fx.stack));
    expect(customer.status).toBe(403);
    await eventually(async () => (await progress(broadcastId)).status === 'completed', 30_000);
    expect(await progress(broadcastId)).toMatchObject({ delivered: 0, batches: 1 });
  });
});
