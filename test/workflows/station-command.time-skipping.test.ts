import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { createMessaging } from '../../src/modules/identity/delivery/messaging';
import { DeviceBus } from '../../src/kernel/devices/device-bus';
import { serviceCredentials } from '../../src/kernel/devices/credentials';
import { createActivities } from '../../src/workers/activities';
import { deviceAckSignal } from '../../src/kernel/devices/commander';
import type { StationCommandInput, StationCommandWorkflow } from '../../src/modules/stations';
import { timeSkippingIn, useFixture } from '../support/fixtures';
import { timersFired } from '../support/history';

/**
 * The pattern for long timers: Temporal's time-skipping test server, real activities against
 * the real PostgreSQL and broker. A 10-minute ack wait passes in well under a second.
 */
describe('station command workflow in skipped time', () => {
  const fx = useFixture(
    async (s) => ({
      env: await timeSkippingIn(s),
      orm: await s.use(initOrm(process.env.DATABASE_URL!), (o) => o.close()),
      bus: await s.use(
        DeviceBus.connect(process.env.MQTT_URL!, `stationflow-worker-ts-test-${randomUUID()}`, {
          credentials: serviceCredentials(process.env.MQTT_AUTH_SECRET!, 'worker'),
        }),
        (b) => b.close(),
      ),
    }),
    { timeoutMs: 60_000 },
  );

  const input = (sn: string): StationCommandInput => ({ kind: 'kiosk', sn, type: 'reboot', args: {}, timeoutMs: 10 * 60_000, requestedBy: 'admin-1' });

  async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `ts-${randomUUID()}`;
    const worker = await Worker.create({
      connection: fx.env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities: (() => {
        const config = loadConfig();
        return createActivities({ orm: fx.orm, bus: fx.bus, config, messaging: createMessaging(config) });
      })(),
    });
    return worker.runUntil(fn(taskQueue));
  }

  it('when no ack comes for 10 minutes, then the outcome is a timeout and the command row says so', async () => {
    const sn = `TS${randomUUID().slice(0, 6)}`;
    const workflowId = `station-command:${sn}:${randomUUID()}`;
    const outcome = await withWorker((taskQueue) =>
      fx.env.client.workflow.execute<StationCommandWorkflow>('stationCommandWorkflow', { workflowId, taskQueue, args: [input(sn)] }),
    );
    expect(outcome).toMatchObject({ status: 'timeout' });
    // The wait was the workflow's durable timers, a quarter of the 10 minutes each with the command sent again after each
    // (same id), over 10 minutes of server time (skipped: the test's own timeout is a minute).
    const handle = fx.env.client.workflow.getHandle(workflowId);
    const timers = await timersFired(handle);
    expect(timers.map((t) => t.durationMs)).toEqual([150_000, 150_000, 150_000, expect.any(Number)]);
    const { startTime, closeTime } = await handle.describe();
    expect(closeTime!.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(10 * 60_000);
    // Sent four times, one command.
    const rows = await fx.orm.em
      .fork()
      .getConnection()
      .execute('select status, type from device_commands where id like ?', [`${workflowId}#%`]);
    expect(rows).toEqual([{ status: 'timeout', type: 'reboot' }]);
  });

  it('when the ack arrives as a signal before the timer, then the outcome is acked', async () => {
    const sn = `TS${randomUUID().slice(0, 6)}`;
    const workflowId = `station-command:${sn}:${randomUUID()}`;
    const outcome = await withWorker(async (taskQueue) => {
      const handle = await fx.env.client.workflow.start<StationCommandWorkflow>('stationCommandWorkflow', { workflowId, taskQueue, args: [input(sn)] });
      await handle.signal(deviceAckSignal, { id: `${workflowId}#1`, ok: true });
      return handle.result();
    });
    expect(outcome).toMatchObject({ status: 'acked', ack: { ok: true } });
  });
});
