import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { workflowIdOfCommand } from '../../src/kernel/devices/protocol';
import { startMetricsServer } from '../../src/workers/metrics-server';
import { startTracing } from '../../src/workers/tracing';
import { createFixture } from '../support/fixtures';
import { startKiosk } from '../support/kiosk';
import { adminToken, eventually, startTestStack } from '../support/stack';
import { runStackWorker } from '../support/workers';
import { listStatements, seqScannedLargeTables } from './list-plans';
import { connectTemporalWorker } from '../../src/workers/temporal-connection';

interface ReceivedSpan {
  service: string;
  traceId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP receiver: records the spans exporters post to /v1/traces (OTLP JSON). */
async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const app = express();
  app.post('/v1/traces', express.json({ limit: '20mb' }), (req, res) => {
    for (const rs of req.body.resourceSpans ?? []) {
      const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? []) {
          const attributes = Object.fromEntries(
            (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]),
          );
          spans.push({ service, traceId: s.traceId, name: s.name, attributes });
        }
    }
    res.json({});
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { spans, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

const scrape = async (url: string, token?: string) => {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
};

describe('metrics and traces an operator expects', () => {
  const fixture = createFixture(async (s) => {
    const otlp = await s.use(startOtlpReceiver(), (o) => o.close());
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, METRICS_PORT: '0' };
    // This process plays the API (and bridge): its spans go to the receiver as the API process's would.
    const tracing = await s.use(startTracing(loadConfig({ ...process.env, ...env, OTEL_SERVICE_NAME: 'test-api' }), 'api')!, (t) => t.shutdown());
    const stack = await s.use(startTestStack({ env, worker: false }), (st) => st.close());
    // The worker of the stack's queue, traced as the worker process is (src/workers/worker.ts passes its tracing the same way).
    const connection = await s.use(connectTemporalWorker(stack.config), (c) => c.close());
    await s.use(runStackWorker(stack, connection, { tracing }), (w) => w.stop());
    const kiosk = await s.use(startKiosk(stack, { ejectDelayMs: 50 }), (k) => k.stop());
    return { otlp, tracing, stack, kiosk, token: await adminToken(stack) };
  });
  beforeAll(() => fixture.setUp(), 60_000);
  afterAll(() => fixture.tearDown(), 60_000);
  const fx = fixture.value;

  const reboot = (requestId: string) =>
    request(fx.stack.baseUrl)
      .post(`/api/admin/stations/${fx.kiosk.sn}/remote-command`)
      .set('Authorization', `Bearer ${fx.token}`)
      .set('X-Request-Id', requestId)
      .send({ command: 'reboot' });

  it('when an admin sends a command, then the API, workflow, activity and MQTT spans share the request trace and the run carries the request id', async () => {
    const requestId = `obs-${Date.now()}`;
    const res = await reboot(requestId);
    expect(res.status).toBe(200);
    const workflowId = workflowIdOfCommand(res.body.data.command_id)!;
    const { memo } = await fx.stack.temporal.workflow.getHandle(workflowId).describe();
    expect(memo).toMatchObject({ request_id: requestId });

    await fx.tracing.flush();
    const server = await eventually(async () =>
      fx.otlp.spans.find((sp) => sp.attributes['stationflow.request_id'] === requestId && sp.name.startsWith('POST ')),
    );
    expect(server.name).toBe('POST /api/admin/stations/:sn/remote-command');
    const names = await eventually(async () => {
      const inTrace = fx.otlp.spans.filter((sp) => sp.traceId === server.traceId).map((sp) => `${sp.service} ${sp.name}`);
      return inTrace.some((n) => n.endsWith('mqtt publish')) && inTrace.some((n) => n.includes('RunWorkflow')) ? inTrace : undefined;
    }, 15_000);
    expect(names).toEqual(
      expect.arrayContaining([
        'test-api StartWorkflow:stationCommandWorkflow',
        'test-api RunWorkflow:stationCommandWorkflow',
        'test-api RunActivity:publishDeviceCommand',
        'test-api mqtt publish',
      ]),
    );
    const run = fx.otlp.spans.find((sp) => sp.traceId === server.traceId && sp.name === 'RunWorkflow:stationCommandWorkflow')!;
    expect(run.attributes).toMatchObject({ temporalWorkflowId: workflowId, 'stationflow.request_id': requestId });
  });

  it('when the API and bridge have had traffic, then the API /metrics counts it per route template, with the device counters', async () => {
    await request(fx.stack.baseUrl).get('/api/app/stations/NO-SUCH-STATION').expect(404);
    const { status, text } = await scrape(`${fx.stack.baseUrl}/metrics`);
    expect(status).toBe(200);
    expect(text).toMatch(/stationflow_http_requests_total\{method="POST",route="\/api\/admin\/stations\/:sn\/remote-command",status="200"\} [1-9]/);
    expect(text).toMatch(/stationflow_http_requests_total\{method="GET",route="\/api\/app\/stations\/:sn",status="404"\} [1-9]/);
    expect(text).toMatch(/stationflow_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/app\/stations\/:sn"\}/);
    expect(text).not.toContain('NO-SUCH-STATION');
    expect(text).toMatch(/stationflow_device_acks_total\{result="delivered"\} [1-9]/);
    expect(text).toMatch(/stationflow_device_messages_total\{kind="kiosk",channel="heartbeat"\} [1-9]/);
    expect(text).toMatch(/stationflow_stations_online [1-9]/);
    expect(text).toMatch(/stationflow_mqtt_connected\{client="bridge"\} 1/);
  });

  it('when a token is set, then the admin listener refuses a scrape without it and shows the device commands with it', async () => {
    await reboot(`obs-w-${Date.now()}`).expect(200);
    const token = 'metrics-token-for-the-test';
    const metrics = (await startMetricsServer(loadConfig({ ...process.env, METRICS_PORT: '0', METRICS_TOKEN: token }), 'test'))!;
    try {
      const url = `http://127.0.0.1:${metrics.port}/metrics`;
      expect((await scrape(url)).status).toBe(401);
      expect((await scrape(url, 'wrong-token-of-same-len')).status).toBe(401);
      const ok = await scrape(url, token);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('stationflow_process_cpu_seconds_total');
      expect(ok.text).toMatch(/stationflow_device_commands_total\{kind="kiosk",type="reboot"\} [1-9]/);
      expect(ok.text).toMatch(/stationflow_device_command_outcomes_total\{status="acked"\} [1-9]/);
    } finally {
      await metrics.close();
    }
  });

  // The test database is small, so the planner would rightly pick sequential scans; with enable_seqscan off a
  // sequential scan is still chosen where no index can serve the query, which is what this looks for.
  it('when each list query is planned with sequential scans priced out, then none reads a large table by a sequential scan', async () => {
    const statements = await listStatements(fx.stack.config, crypto.randomUUID());
    expect(statements.length).toBeGreaterThanOrEqual(20);
    const conn = fx.stack.orm.em.fork().getConnection();
    const scans: Record<string, string[]> = {};
    await conn.transactional(async (trx) => {
      await conn.execute('set local enable_seqscan = off', [], 'run', trx);
      for (const sql of statements) {
        const [{ 'QUERY PLAN': plan }] = await conn.execute(`explain (format json) ${sql}`, [], 'all', trx);
        const tables = seqScannedLargeTables(plan[0].Plan);
        if (tables.length) scans[sql.slice(0, 160)] = tables;
      }
    });
    expect(scans).toEqual({});
  });
});
