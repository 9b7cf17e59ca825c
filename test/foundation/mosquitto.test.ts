import { startMosquitto } from '../../src/infra/mosquitto';
import { spawnTsx, type TsxChild } from '../support/processes';
import { stackIn, useFixture, withApi } from '../support/fixtures';
import { adminToken, createTestStation, eventually } from '../support/stack';

/** The same device protocol against a second, independent broker: Debian's mosquitto 2. */
describe('the hardware protocol on mosquitto', () => {
  let sim: TsxChild | undefined;
  const fx = useFixture(async (s) => {
    const broker = await s.use(startMosquitto(), (b) => b.stop());
    const stack = await stackIn(s, { env: { MQTT_URL: broker.url } });
    s.defer(() => sim?.stop('SIGKILL'));
    return { broker, ...withApi(stack), sn: await createTestStation(stack.orm) };
  });

  const online = async () => (await fx.stack.orm.em.fork().getConnection().execute('select online from stations where sn = ?', [fx.sn]))[0]?.online as boolean;

  it('when a simulator connects through mosquitto, then its station comes online and answers an eject', async () => {
    sim = spawnTsx('src/sim/cli.ts', [
      '--sn',
      fx.sn,
      '--heartbeat',
      '1000',
      '--eject-delay',
      '200',
      '--broker',
      fx.broker.url,
      '--prefix',
      fx.stack.config.MQTT_TOPIC_PREFIX,
    ]);
    await sim.waitFor(/kiosks online/);
    await eventually(online, 10_000);
    const res = await fx
      .api()
      .post(`/api/admin/stations/${fx.sn}/remote-command`)
      .set('Authorization', `Bearer ${await adminToken(fx.stack.config)}`)
      .send({ command: 'eject', slot: 3 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'acked', ack: { slot: 3, powerBankSn: `PB-${fx.sn}-3` } });
  });

  it('when the simulator dies, then mosquitto publishes its last will and the station goes offline', async () => {
    await sim!.stop('SIGKILL');
    await eventually(async () => (await online()) === false, 15_000);
  });
});
