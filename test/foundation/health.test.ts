import { freePort } from '../../src/infra/ports';
import { spawnTsx, type TsxChild } from '../support/processes';
import { stackIn, useFixture, withApi } from '../support/fixtures';
import { eventually } from '../support/stack';
import { SURFACE_CASES, type SurfaceCase } from './surfaces';

/**
 * Health against a broker of this file's own, run as a separate process (`npm run broker`), so it
 * can be killed and restarted under a live API. Database and Temporal are the run's real servers.
 */
describe('health of every surface', () => {
  let port: number;
  let broker: TsxChild | undefined;

  const startBroker = async () => {
    broker = spawnTsx('src/infra/broker-cli.ts', ['--port', String(port)]);
    await broker.waitFor(/broker listening on mqtt:\/\/127\.0\.0\.1:\d+/);
  };

  const fx = useFixture(async (s) => {
    port = await freePort();
    s.defer(() => broker?.stop()); // the broker of the moment: the tests kill and restart it
    await startBroker();
    return withApi(await stackIn(s, { env: { MQTT_URL: `mqtt://127.0.0.1:${port}` }, worker: false, bridge: false }));
  });

  const health = (s: SurfaceCase) => fx.api().get(s.health);

  /** The report inside each surface's envelope, for a 200 and for a 503. */
  const reportOf = (s: SurfaceCase, status: number, body: any) => {
    if (status === 200) {
      if (s.name === 'chargeghar') {
        expect(Object.keys(body).sort()).toEqual(['data', 'success']);
        expect(body.success).toBe(true);
        return body.data;
      }
      if (s.name === 'water') {
        expect(body).toMatchObject({ success: true, message: 'OK' });
        return body.data;
      }
      return body; // fleet and ev: plain JSON
    }
    if (s.name === 'chargeghar') {
      expect(body).toMatchObject({ success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'A dependency is down' } });
      return body.data;
    }
    if (s.name === 'water') {
      expect(body).toMatchObject({ success: false, error: 'SERVICE_UNAVAILABLE', message: 'A dependency is down' });
      return body.data;
    }
    expect(s.error(body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'A dependency is down' });
    return body.details;
  };

  it('when database, Temporal and MQTT are up, then every surface answers 200 with all connected', async () => {
    for (const s of SURFACE_CASES) {
      const res = await health(s);
      expect(res.status).toBe(200);
      expect(reportOf(s, 200, res.body)).toMatchObject({
        status: 'healthy',
        database: 'connected',
        temporal: 'connected',
        mqtt: 'connected',
        uptime_seconds: expect.any(Number),
      });
    }
  });

  it('when the broker process is killed, then every surface answers 503 with mqtt down in its own envelope', async () => {
    expect(await broker!.stop('SIGKILL')).toBe('SIGKILL');
    await eventually(async () => (await health(SURFACE_CASES[0])).status === 503, 5_000);
    for (const s of SURFACE_CASES) {
      const res = await health(s).query({ timeout_ms: 500 });
      expect(res.status).toBe(503);
      expect(reportOf(s, 503, res.body)).toMatchObject({ status: 'degraded', mqtt: 'down', database: 'connected', temporal: 'connected' });
    }
  });

  it('when the broker is started again, then the API reconnects and health is back to 200', async () => {
    await startBroker();
    // The MQTT client retries every second (reconnectPeriod 1000).
    await eventually(async () => (await health(SURFACE_CASES[0])).status === 200, 8_000, 200);
    for (const s of SURFACE_CASES) {
      const res = await health(s);
      expect(res.status).toBe(200);
      expect(reportOf(s, 200, res.body).mqtt).toBe('connected');
    }
  });
});
