import request from 'supertest';
import { startMosquitto } from '../../src/infra/mosquitto';
import type { BrokerHandle } from '../../src/infra/mqtt-broker';
import { spawnTsx, type TsxChild } from '../support/processes';
import { adminToken, createTestStation, eventually, startTestStack, type TestStack } from '../support/stack';

/** The same device protocol against a second, independent broker: Debian's mosquitto 2. */
describe('the hardware protocol on mosquitto', () => {
  let broker: BrokerHandle;
  let stack: TestStack;
  let sim: TsxChild | undefined;
  let sn: string;

  const online = async () => (await stack.orm.em.fork().getConnection().execute('select online from stations where sn = ?', [sn]))[0]?.online as boolean;

  beforeAll(async () => {
    broker = await startMosquitto();
    stack = await startTestStack({ env: { MQTT_URL: broker.url } });
    sn = await createTestStation(stack.orm);
  });
  afterAll(async () => {
    await sim?.stop('SIGKILL');
    await stack?.close();
    await broker?.stop();
  });

  it('when a simulator connects through mosquitto, then its station comes online and answers an eject', async () => {
    sim = spawnTsx('src/sim/cli.ts', ['--sn', sn, '--heartbeat', '1000', '--eject-delay', '200', '--broker', broker.url]);
    await sim.waitFor(/kiosks online/);
    await eventually(online, 10_000);
    const res = await request(stack.baseUrl).post(`/api/admin/stations/${sn}/remote-command`)
      .set('Authorization', `Bearer ${await adminToken(stack.config)}`).send({ command: 'eject', slot: 3 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot: 3, powerBankSn: `PB-${sn}-3` } });
  });

  it('when the simulator dies, then mosquitto publishes its last will and the station goes offline', async () => {
    await sim!.stop('SIGKILL');
    await eventually(async () => (await online()) === false, 15_000);
  });
});
