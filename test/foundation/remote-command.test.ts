import { useTestStack } from '../support/fixtures';
import { startKiosk } from '../support/kiosk';
import { workflowIdOfCommand } from '../../src/kernel/devices/protocol';
import { timersFired } from '../support/history';
import { adminToken, customerToken, eventually } from '../support/stack';

describe('admin remote command through the device bus', () => {
  const fx = useTestStack({}, async ({ stack }, s) => {
    const sim = await s.use(startKiosk(stack, { ejectDelayMs: 300 }), (k) => k.stop());
    return { sn: sim.sn, sim, token: await adminToken(stack.config) };
  });

  const send = (body: unknown, station = fx.sn, auth = fx.token) =>
    fx
      .api()
      .post(`/api/admin/stations/${station}/remote-command`)
      .set('Authorization', `Bearer ${auth}`)
      .send(body as object);

  it('when an admin ejects a slot, then the kiosk ejects it and the API answers with its ack', async () => {
    const res = await send({ command: 'eject', slot: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, data: { status: 'acked', ack: { ok: true, slot: 2, powerBankSn: `PB-${fx.sn}-2` } } });
    const [cmd] = await fx.stack.orm.em
      .fork()
      .getConnection()
      .execute('select status, type, requested_by from device_commands where id = ?', [res.body.data.command_id]);
    expect(cmd).toMatchObject({ status: 'acked', type: 'eject' });
    // The kiosk's slot event reached the database through the bridge.
    await eventually(async () => {
      const [slot] = await fx.stack.orm.em
        .fork()
        .getConnection()
        .execute('select s.status from slots s join stations st on st.id = s.station_id where st.sn = ? and s.index = 2', [fx.sn]);
      return slot?.status === 'empty';
    });
  });

  it('when the admin reboots, locks and unlocks, then each is acked', async () => {
    for (const command of ['reboot', 'lock', 'unlock']) {
      const res = await send({ command });
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('acked');
    }
  });

  it('when the kiosk reports a failure, then the API answers 502 DEVICE_ERROR', async () => {
    fx.sim.setMode('fail');
    try {
      const res = await send({ command: 'reboot' });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ success: false, error: { code: 'DEVICE_ERROR' } });
    } finally {
      fx.sim.setMode('normal');
    }
  });

  it('when the kiosk stays silent, then the API answers 504 DEVICE_TIMEOUT after the ack timeout', async () => {
    fx.sim.setMode('silent');
    try {
      const res = await send({ command: 'reboot' });
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ success: false, error: { code: 'DEVICE_TIMEOUT' } });
      // The answer came from the command workflow's ack timers (DEVICE_ACK_TIMEOUT_MS, 2 s here, the command sent again after
      // the first second), which fired.
      const handle = fx.stack.temporal.workflow.getHandle(workflowIdOfCommand(res.body.error.details.command_id)!);
      const timers = await timersFired(handle);
      expect(timers.map((t) => t.durationMs)).toEqual([1000, expect.any(Number)]);
      const { startTime, closeTime } = await handle.describe();
      expect(closeTime!.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(2000);
      const [cmd] = await fx.stack.orm.em
        .fork()
        .getConnection()
        .execute('select status from device_commands where id = ?', [res.body.error.details.command_id]);
      expect(cmd.status).toBe('timeout');
    } finally {
      fx.sim.setMode('normal');
    }
  });

  it('when the station is unknown or the command malformed, then 404 and 400 with field errors', async () => {
    expect((await send({ command: 'reboot' }, 'NOPE-404')).status).toBe(404);
    const bad = await send({ command: 'eject', slot: 'two' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect(bad.body.error.details[0].field).toBe('body.slot');
  });

  it('when a customer or nobody calls it, then 403 and 401', async () => {
    expect((await send({ command: 'reboot' }, fx.sn, await customerToken(fx.stack.config))).status).toBe(403);
    const anon = await fx.api().post(`/api/admin/stations/${fx.sn}/remote-command`).send({ command: 'reboot' });
    expect(anon.status).toBe(401);
    expect(anon.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('when maintenance is toggled, then the flag flips and can be set explicitly', async () => {
    const url = `/api/admin/stations/${fx.sn}/maintenance`;
    const on = await fx.api().post(url).set('Authorization', `Bearer ${fx.token}`).send({});
    expect(on.body.data).toEqual({ sn: fx.sn, maintenance: true });
    const off = await fx.api().post(url).set('Authorization', `Bearer ${fx.token}`).send({ maintenance: false });
    expect(off.body.data).toEqual({ sn: fx.sn, maintenance: false });
  });
});
