import { useComposedFixture } from '../support/fixtures';
import { startTcpProxy } from '../support/tcp-proxy';
import request from 'supertest';
import { adminToken } from '../support/stack';
import { api, balances, createRenter, inventoryOf, rentalInStatus, rentalStackIn, sql, startBody } from '../rentals/support';
import { NOTHING_STRANDED, strandedState } from './support';

/**
 * The backend's MQTT connection goes away while a rider starts a rental. The eject command waits
 * for the broker as long as the kiosk's ack may take (DEVICE_ACK_TIMEOUT_MS, 2 s here): a broker
 * back in time means the rental runs; a broker still away means the pre-payment is refunded and
 * the rental fails. Before, the publish failed five times within about three seconds and the
 * workflow failed with the pre-payment kept and the rental `starting` for ever.
 */
describe('faults: the broker is away during an eject', () => {
  const fx = useComposedFixture(async (scope) => {
    // Only the API's and worker's device bus crosses the proxy; the bridge and the kiosk stay connected.
    const proxy = await scope.use(startTcpProxy(process.env.MQTT_URL!), (p) => p.close());
    return { proxy, ...(await rentalStackIn(scope, { busMqttUrl: proxy.url })) };
  });

  it('when the broker is away for longer than the ack timeout, then the eject fails, the pre-payment is refunded and the power bank stays', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    fx.proxy.cut();
    try {
      const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'EJECT_FAILED', details: { rental_id: expect.any(String) } });
      const rental = await rentalInStatus(fx.stack, res.body.error.details.rental_id, ['failed']);
      expect(rental).toMatchObject({ payment_status: 'refunded', failure_code: 'EJECT_FAILED' });
      expect(rental.failure_reason).toMatch(/BrokerUnreachable/);
      expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 5000, points: 0 });
      expect((await inventoryOf(fx.stack, fx.sim.sn, rental.power_bank_sn)).slot).toMatchObject({ status: 'occupied', power_bank_sn: rental.power_bank_sn });
    } finally {
      fx.proxy.restore();
    }
    // Nothing holds the rider back: the next rental starts once the broker is back.
    await fx.stack.bus.waitForBroker(10_000);
    const again = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(again.status).toBe(201);
    expect(await strandedState(fx.stack, [renter.id])).toEqual({ ...NOTHING_STRANDED, stray: [`rentals ${again.body.data.id} active`] });
  });

  it('when the broker comes back within the ack timeout, then the command waits for it and the rental starts', async () => {
    const renter = await createRenter(fx.stack, { walletMinor: 5000 });
    fx.proxy.cut();
    setTimeout(() => fx.proxy.restore(), 800);
    const res = await api(fx.stack, renter.token).post('/rentals/start', startBody(fx.sim, fx.pkg.hour));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'active', payment_status: 'paid' });
    expect(await balances(fx.stack, renter.id)).toEqual({ walletMinor: 3000, points: 0 });
  });

  const bays = () =>
    sql(fx.stack, `select s.index, s.status, s.power_bank_sn from slots s join stations st on st.id = s.station_id where st.sn = ? order by s.index`, [
      fx.sim.sn,
    ]);

  it('when an admin sends a remote command while the broker is away, then it answers 503 BROKER_UNAVAILABLE and the bay stays as it was', async () => {
    const before = await bays();
    const slot = before.find((s) => s.status === 'occupied')!.index as number;
    fx.proxy.cut();
    try {
      const res = await request(fx.stack.baseUrl)
        .post(`/api/admin/stations/${fx.sim.sn}/remote-command`)
        .set('Authorization', `Bearer ${await adminToken(fx.stack)}`)
        .send({ command: 'eject', slot });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, error: { code: 'BROKER_UNAVAILABLE', details: { command_id: expect.any(String) } } });
    } finally {
      fx.proxy.restore();
    }
    const after = await bays();
    expect(after).toEqual(before);
  });
});
