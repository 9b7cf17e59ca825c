import { randomUUID } from 'node:crypto';
import { freePort } from '../../src/infra/ports';
import { chargingWorkflowId, OcppCentralSystem, registerCharger, type ChargingWorkflow } from '../../src/modules/charging';
import { LedgerService, systemAccount, userWallet } from '../../src/modules/ledger';
import { OcppChargePoint, type ChargePointOptions } from '../../src/sim/ocpp-charge-point';
import { useFixture } from '../support/fixtures';
import { keepHistory } from '../support/record-history';
import { adminToken, eventually } from '../support/stack';
import { evApi, evStackIn, natsAs, signIn, type EvDriver } from './support';

const PRICE = 50_000; // 500 MNT per kWh, in möngö
const WAITING = 10_000;

describe('EV charging sessions over OCPP 1.6-J (seed 000)', () => {
  const fx = useFixture(
    async (scope) => {
      const port = await freePort();
      const env = {
        OCPP_COMMAND_URL: `http://127.0.0.1:${port}`,
        EV_START_TIMEOUT_SECONDS: '3',
        EV_DISCONNECT_GRACE_SECONDS: '3',
        EV_MIN_BALANCE_MINOR: '100000',
        OCPP_ADMIN_TIMEOUT_SECONDS: '1',
      };
      const ev = await evStackIn(scope, { env });
      const ocpp = new OcppCentralSystem({ orm: ev.stack.orm, temporal: ev.stack.temporal, commandToken: ev.stack.config.OCPP_COMMAND_TOKEN });
      await scope.use(ocpp.listen(port, '127.0.0.1'), () => ocpp.close());
      return { ev, endpoint: `ws://127.0.0.1:${port}/ocpp` };
    },
    { timeoutMs: 60_000 },
  );
  const q = (sql: string, params: unknown[] = []) => fx.ev.stack.orm.em.getConnection().execute(sql, params);
  const ledger = () => new LedgerService(fx.ev.stack.orm);
  const credit = (userId: string, minor: number) =>
    ledger().post({
      key: `test-credit:${randomUUID()}`,
      type: 'admin_credit',
      postings: [
        { account: userWallet(userId, 'MNT'), amountMinor: minor },
        { account: systemAccount('promotions', 'MNT'), amountMinor: -minor },
      ],
    });
  const wallet = (userId: string) => ledger().balance(userWallet(userId, 'MNT'));

  /** A registered charger and its simulated charge point, connected and Available. */
  async function chargePoint(opts: Partial<ChargePointOptions> = {}) {
    const deviceNumber = `UB-${randomUUID().slice(0, 8)}`;
    const id = await registerCharger(fx.ev.stack.orm, { deviceNumber, password: 'cp-secret-1', price: PRICE, waitingPrice: WAITING, lng: 106.9, lat: 47.9 });
    const cp = new OcppChargePoint({
      endpoint: fx.endpoint,
      deviceNumber,
      password: 'cp-secret-1',
      meterIntervalMs: 400,
      simulatedMsPerInterval: 60_000,
      powerW: 6_000,
      ...opts,
    });
    await cp.connect();
    await eventually(async () => (await q(`select state from ev_chargers where id = ?`, [id]))[0].state === 'Idle');
    return { id, cp };
  }
  const start = (d: EvDriver, chargerId: string) => evApi(fx.ev.stack).post(`/ev/api/devices/${chargerId}/start`).set('Authorization', `Bearer ${d.token}`);
  const handle = (purchaseId: string) => fx.ev.stack.temporal.workflow.getHandle<ChargingWorkflow>(chargingWorkflowId(purchaseId));
  const result = (purchaseId: string) => handle(purchaseId).result();
  const purchase = async (id: string) => (await q(`select * from ev_purchases where id = ?`, [id]))[0];
  const command = async (chargerId: string, what: 'availability' | 'reset', body: object, token?: string) =>
    evApi(fx.ev.stack)
      .post(`/ev/api/admin/chargers/${chargerId}/${what}`)
      .set('Authorization', `Bearer ${token ?? (await adminToken(fx.ev.stack))}`)
      .send(body);
  const stateOf = async (id: string) => (await q(`select state from ev_chargers where id = ?`, [id]))[0].state;

  it('when a driver starts, charges and finishes, then the purchase is billed energy × price exactly once and the app saw the live session', async () => {
    const d = await signIn(fx.ev);
    await credit(d.userId, 1_000_000);
    const { id, cp } = await chargePoint();
    const nc = await natsAs(fx.ev, d);
    const messages: any[] = [];
    const sub = nc.subscribe(d.body.nats.topic);
    void (async () => {
      for await (const m of sub) messages.push(m.json());
    })();
    const bad = await evApi(fx.ev.stack).post(`/ev/api/devices/${id}/start`);
    expect(bad.status).toBe(401);
    const res = await start(d, id);
    expect(res.status).toBe(200);
    const purchaseId = res.body.id as string;
    expect((await start(d, id)).status).toBe(409);
    await eventually(async () => {
      const p = await purchase(purchaseId);
      return p.status === 'charging' && p.meter_last - p.meter_start >= 300;
    });
    const early = await evApi(fx.ev.stack)
      .post(`/ev/api/purchases/${purchaseId}/feedback`)
      .set('Authorization', `Bearer ${d.token}`)
      .send({ feedback: { score: 5, description: 'x' } });
    expect(early.status).toBe(409);
    expect((await command(id, 'availability', { type: 'Inoperative' })).body).toEqual({ status: 'Scheduled' }); // a session is in progress
    const fin = await evApi(fx.ev.stack).post(`/ev/api/devices/${id}/finish`).set('Authorization', `Bearer ${d.token}`);
    expect(fin.body).toEqual({ id: purchaseId });
    const r = await result(purchaseId);
    const p = await purchase(purchaseId);
    expect(r).toMatchObject({ status: 'billed', stopReason: 'user', flagged: false, waitingMinutes: 0 });
    expect(p.meter_stop - p.meter_start).toBe(r.wh);
    expect(r.amount).toBe(Math.round((r.wh * PRICE) / 1000));
    expect(await wallet(d.userId)).toBe(1_000_000 - r.amount);
    expect(await q(`select 1 from journal_entries where idempotency_key = ?`, [`charging:${purchaseId}`])).toHaveLength(1);
    await keepHistory(fx.ev.stack, handle(purchaseId), 'charging-finished-by-driver-billed', 'start, StartTransaction, MeterValues, finish, billed once');
    await eventually(async () => messages.some((m) => m.charging?.state === 'finished'));
    expect(messages.some((m) => m.charging?.state === 'charging' && m.charging.energy > 0)).toBe(true);
    expect(messages.find((m) => m.charging?.state === 'finished').charging.cost).toBe(r.amount / 100);

    const fb = (token: string, body: object) =>
      evApi(fx.ev.stack).post(`/ev/api/purchases/${purchaseId}/feedback`).set('Authorization', `Bearer ${token}`).send(body);
    expect((await fb(d.token, { feedback: { score: 4, description: 'ok' } })).status).toBe(200);
    expect((await fb(d.token, { feedback: { score: 5, description: 'better' } })).status).toBe(200);
    expect((await fb(d.token, { feedback: { score: 6 } })).status).toBe(400);
    const other = await signIn(fx.ev);
    expect((await fb(other.token, { feedback: { score: 1 } })).status).toBe(404);
    expect(await purchase(purchaseId)).toMatchObject({ feedback_score: 5, feedback_description: 'better' });
    await nc.close();
    await cp.close();
  });

  it('when the balance would run out, then the session stops itself and bills no more than was held', async () => {
    const d = await signIn(fx.ev);
    await credit(d.userId, 200_000); // 2,000 MNT: 4 kWh at 500 MNT
    const { id, cp } = await chargePoint({ powerW: 30_000 }); // 500 Wh a tick
    const res = await start(d, id);
    const r = await result(res.body.id);
    expect(r).toMatchObject({ status: 'billed', stopReason: 'balance' });
    expect(r.wh).toBeGreaterThanOrEqual(3_500);
    expect(r.amount).toBeLessThanOrEqual(200_000 + 500 * (PRICE / 1000));
    expect(await wallet(d.userId)).toBe(200_000 - r.amount);
    await cp.close();
  });

  it('when the charger never answers the remote start with a transaction, then the hold is released and nothing is charged', async () => {
    const d = await signIn(fx.ev);
    await credit(d.userId, 300_000);
    const { id, cp } = await chargePoint({ neverStart: true });
    const res = await start(d, id);
    expect(await result(res.body.id)).toMatchObject({ status: 'failed', amount: 0, stopReason: 'no_start' });
    expect(await purchase(res.body.id)).toMatchObject({ status: 'failed', hold_amount: 0 });
    expect(await wallet(d.userId)).toBe(300_000);
    const poor = await signIn(fx.ev);
    expect((await start(poor, id)).body).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    await cp.close();
  });

  it('when the charger disconnects mid-session and stays away, then the session bills from the last meter value and is flagged', async () => {
    const d = await signIn(fx.ev);
    await credit(d.userId, 1_000_000);
    const { id, cp } = await chargePoint();
    const res = await start(d, id);
    await eventually(async () => {
      const p = await purchase(res.body.id);
      return p.status === 'charging' && p.meter_last - p.meter_start >= 200;
    });
    await cp.disconnect();
    const r = await result(res.body.id);
    const p = await purchase(res.body.id);
    expect(r).toMatchObject({ status: 'billed', flagged: true, stopReason: 'disconnected' });
    await keepHistory(
      fx.ev.stack,
      handle(res.body.id),
      'charging-disconnected-billed-flagged',
      'the charger dropped mid-session and stayed away: billed from the last meter value, flagged',
    );
    expect(r.wh).toBe(p.meter_last - p.meter_start);
    expect(await wallet(d.userId)).toBe(1_000_000 - r.amount);
    expect((await q(`select state from ev_chargers where id = ?`, [id]))[0].state).toBe('Error');
  });

  it('when an operator sends ChangeAvailability or Reset, then the charger’s own answer comes back (Accepted, Rejected), or 504 when it stays silent', async () => {
    const { id, cp } = await chargePoint();
    const driver = await signIn(fx.ev);
    expect((await command(id, 'reset', { type: 'Soft' }, driver.token)).status).toBe(403);
    expect((await command(id, 'availability', { type: 'Inoperative' })).body).toEqual({ status: 'Accepted' });
    await eventually(async () => (await stateOf(id)) === 'Repair');
    expect((await command(id, 'availability', { type: 'Operative' })).body).toEqual({ status: 'Accepted' });
    await eventually(async () => (await stateOf(id)) === 'Idle');
    expect((await command(id, 'reset', { type: 'Soft' })).body).toEqual({ status: 'Accepted' });
    await eventually(async () => cp.boots === 2);
    expect((await command(id, 'reset', { type: 'Warm' })).status).toBe(400);
    expect((await command('ffffffffffffffffffffffff', 'reset', { type: 'Soft' })).status).toBe(404);
    const odd = await chargePoint({ refuse: { ChangeAvailability: 'Rejected', Reset: 'silent' } });
    expect((await command(odd.id, 'availability', { type: 'Inoperative' })).body).toEqual({ status: 'Rejected' });
    const silent = await command(odd.id, 'reset', { type: 'Hard' });
    expect([silent.status, silent.body.code]).toEqual([504, 'CHARGER_TIMEOUT']);
    await odd.cp.close();
    await eventually(async () => (await command(odd.id, 'reset', { type: 'Soft' })).body.code === 'CHARGER_OFFLINE');
    await cp.close();
  });
});
