import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { demoSlots } from '../../src/modules/stations/rules/demo';
import { KioskSimulator } from '../../src/sim/kiosk-simulator';
import { sql } from '../support/db';
import { useTestStack } from '../support/fixtures';
import { adminToken, customerToken, eventually } from '../support/stack';
import { createRenter, ensurePackages } from '../rentals/support';

/** Seed 001 Admin › Station Management: list, add, update (bays), and what the app sees of a new station. */
describe('admin stations', () => {
  const fx = useTestStack({ worker: false }, async ({ stack }) => ({ admin: await adminToken(stack) }));
  const asAdmin = (method: 'get' | 'post' | 'put', path: string) => request(fx.stack.baseUrl)[method](`/api${path}`).set('Authorization', `Bearer ${fx.admin}`);
  const serial = () => `ADM${randomUUID().slice(0, 8).toUpperCase()}`;
  const body = (sn: string) => ({
    sn,
    imei: `86${Date.now()}${Math.floor(Math.random() * 1000)}`,
    qr_code: `0099 SN: ${sn}`,
    name: `Durbar ${sn}`,
    address: 'Durbar Marg',
    latitude: 27.71,
    longitude: 85.32,
    slot_count: 8,
  });

  it('when an admin adds a station, then its bays exist, the app lists it and finds it nearby at once, and it goes online when its kiosk connects', async () => {
    const sn = serial();
    const created = await asAdmin('post', '/admin/stations').send(body(sn));
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ sn, status: 'offline', slot_count: 8, total_slots: 8, empty_slots: 8, qr_code: `0099 SN: ${sn}` });
    const customer = await customerToken(fx.stack);
    const app = (p: string) => request(fx.stack.baseUrl).get(`/api${p}`).set('Authorization', `Bearer ${customer}`);
    expect((await app(`/app/stations?search=${sn}`)).body.data.results).toEqual([expect.objectContaining({ sn, status: 'offline' })]);
    const near = await app('/app/stations/nearby?lat=27.7101&lng=85.3201&radius=500&page_size=100');
    expect(near.body.data.results.map((s: { sn: string }) => s.sn)).toContain(sn);
    const kiosk = new KioskSimulator({
      brokerUrl: fx.stack.config.MQTT_URL,
      topicPrefix: fx.stack.config.MQTT_TOPIC_PREFIX,
      sn,
      slots: demoSlots(sn),
      heartbeatMs: 5000,
      authSecret: fx.stack.config.MQTT_AUTH_SECRET,
    });
    await kiosk.start();
    try {
      await eventually(async () => (await sql(fx.stack, 'select online from stations where sn = ?', [sn]))[0]?.online);
      await eventually(async () => (await asAdmin('get', `/admin/stations?search=${sn}&status=online`)).body.data.results[0]?.available_power_banks === 6);
    } finally {
      await kiosk.stop();
    }
    const dup = await asAdmin('post', '/admin/stations').send(body(sn));
    expect({ status: dup.status, code: dup.body.error?.code, field: dup.body.error?.details?.field }).toEqual({
      status: 409,
      code: 'STATION_EXISTS',
      field: 'sn',
    });
    const bad = await asAdmin('post', '/admin/stations').send({ ...body(serial()), latitude: 123, slot_count: 0 });
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('when an admin changes the bays, then removing a bay with a power bank or an open rental is 409 SLOT_IN_USE, removing empty ones and adding works, and the change is audited', async () => {
    const sn = serial();
    const { id } = (await asAdmin('post', '/admin/stations').send(body(sn))).body.data;
    await sql(
      fx.stack,
      `update slots set status = 'occupied', power_bank_sn = ?, battery_level = 90 from stations st where st.id = slots.station_id and st.sn = ? and slots.index = 6`,
      [`PB-${sn}-6`, sn],
    );
    const held = await asAdmin('put', `/admin/stations/${id}`).send({ slot_count: 4 });
    expect({ status: held.status, code: held.body.error?.code, slots: held.body.error?.details?.slots }).toEqual({
      status: 409,
      code: 'SLOT_IN_USE',
      slots: [6],
    });
    // An open rental that started from bay 7 (its power bank has left the bay).
    const renter = await createRenter(fx.stack);
    const pkg = await ensurePackages(fx.stack);
    await sql(
      fx.stack,
      `insert into rentals (id, user_id, station_sn, slot_index, power_bank_sn, package_id, payment_model, payment_mode, status, price_minor, duration_minutes, price_cap_minor)
       values (?, ?, ?, 7, ?, ?, 'post_payment', 'wallet_only', 'active', 2000, 60, 2000)`,
      [randomUUID(), renter.id, sn, `PB-X-${sn}`, pkg.hour],
    );
    const renting = await asAdmin('put', `/admin/stations/${id}`).send({ slot_count: 6 });
    expect({ status: renting.status, code: renting.body.error?.code, slots: renting.body.error?.details?.slots }).toEqual({
      status: 409,
      code: 'SLOT_IN_USE',
      slots: [7],
    });
    expect((await sql(fx.stack, `select count(*)::int as n from slots s join stations st on st.id = s.station_id where st.sn = ?`, [sn]))[0].n).toBe(8);
    const shrink = await asAdmin('put', `/admin/stations/${id}`).send({ slot_count: 7, name: 'Renamed', latitude: 27.6, longitude: 85.2 });
    expect(shrink.body.data).toMatchObject({ slot_count: 7, total_slots: 7, name: 'Renamed', latitude: 27.6 });
    const grow = await asAdmin('put', `/admin/stations/${id}`).send({ slot_count: 10 });
    expect(grow.body.data).toMatchObject({ slot_count: 10, total_slots: 10 });
    expect((await asAdmin('put', `/admin/stations/${randomUUID()}`).send({ name: 'x' })).status).toBe(404);
    expect((await asAdmin('put', `/admin/stations/${id}`).send({})).status).toBe(400);
    const [entry] = await sql(
      fx.stack,
      `select * from admin_audit_log where target_id = ? and status = 200 and action = 'PUT /admin/stations/{id}' order by id limit 1`,
      [id],
    );
    expect(entry.before).toMatchObject({ slot_count: 8, name: `Durbar ${sn}` });
    expect(entry.after).toMatchObject({ slot_count: 7, name: 'Renamed' });
    const refusals = await sql(fx.stack, `select status from admin_audit_log where target_id = ? and status = 409`, [id]);
    expect(refusals).toHaveLength(2);
  });
});

/** Seed 001 Admin › System Management: health and logs. */
describe('admin system health and logs', () => {
  const fx = useTestStack({ bridge: false }, async ({ stack }) => ({ admin: await adminToken(stack) }));
  const asAdmin = (path: string) => request(fx.stack.baseUrl).get(`/api${path}`).set('Authorization', `Bearer ${fx.admin}`);

  /**
   * PATCHes a user's status (a user of this test alone) while this test's own transaction holds the
   * user's row; once the API's statement waits for it, PostgreSQL terminates that one connection (as
   * a failover or an operator would), so the request meets a dead database connection.
   */
  async function withConnectionKilled(path: string) {
    const userId = path.split('/')[4];
    await sql(fx.stack, `insert into users (id, role) values (?, 'customer')`, [userId]);
    const db = new Client({ connectionString: fx.stack.config.DATABASE_URL });
    await db.connect();
    try {
      await db.query('begin');
      await db.query('select id from users where id = $1 for update', [userId]);
      const { pid } = (await db.query('select pg_backend_pid() as pid')).rows[0];
      const pending = request(fx.stack.baseUrl)
        .patch(path)
        .set('Authorization', `Bearer ${fx.admin}`)
        .send({ status: 'suspended', reason: 'refresh_token=eyJhbGciOiJIUzI1NiJ9.x.y' })
        .then((r) => r);
      const victim = await eventually(
        async () => (await db.query('select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid])).rows[0]?.pid,
      );
      await db.query('select pg_terminate_backend($1)', [victim]);
      return await pending;
    } finally {
      await db.query('rollback');
      await db.end();
    }
  }

  it('when an admin asks for system health, then uptime, request error rate and p99, the task queue with its worker, broker and stations are reported', async () => {
    for (let i = 0; i < 5; i++) await request(fx.stack.baseUrl).get('/api/app/health');
    const res = await asAdmin('/admin/system/health');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      status: 'healthy',
      dependencies: { database: 'connected', temporal: 'connected', mqtt: 'connected' },
      temporal: { task_queue: fx.stack.config.TEMPORAL_TASK_QUEUE },
      broker: { connected: true },
    });
    expect(res.body.data.requests.requests).toBeGreaterThanOrEqual(5);
    expect(res.body.data.requests.p99_ms).toEqual(expect.any(Number));
    expect(res.body.data.temporal.workers).toBeGreaterThanOrEqual(1);
    expect(res.body.data.stations.total).toEqual(expect.any(Number));
  });

  it('when an admin reads the logs with filters, then admin actions (redacted) and a real 5xx (its database connection killed mid-request) are listed without secrets; a bad filter is 400', async () => {
    const target = randomUUID();
    await asAdmin('/admin/system/logs'); // a GET is not an action
    await request(fx.stack.baseUrl)
      .post(`/api/admin/users/${target}/add-balance`)
      .set('Authorization', `Bearer ${fx.admin}`)
      .send({ amount: 10, reason: 'token test', request_id: 'req-12345678', refresh_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig' });
    const actions = await asAdmin(`/admin/system/logs?kind=admin_action&target_id=${target}`);
    expect(actions.body.data.results).toEqual([expect.objectContaining({ action: 'POST /admin/users/{id}/add-balance', target_id: target })]);
    expect(JSON.stringify(actions.body.data)).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    // A real 5xx: PostgreSQL ends the API's connection in the middle of the request (a service away: 503).
    const failed = await withConnectionKilled(`/api/admin/users/${target}/status`);
    expect({ status: failed.status, body: failed.body }).toEqual({
      status: 503,
      body: { success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is briefly unavailable; try again shortly' } },
    });
    const errors = await eventually(async () => {
      const found = (await asAdmin('/admin/system/logs?kind=error&page_size=100')).body.data.results as { path: string }[];
      return found.find((e) => e.path === `/api/admin/users/${target}/status`);
    });
    expect(errors).toMatchObject({ kind: 'error', method: 'PATCH', status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(JSON.stringify(errors)).not.toMatch(/eyJ|terminating|users" set|Bearer/);
    const bad = await asAdmin('/admin/system/logs?kind=everything');
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });
});
