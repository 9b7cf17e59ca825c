import { WorkflowNotFoundError } from '@temporalio/client';
import { startFcmSandbox, type FcmSandbox } from '../../src/modules/engagement/push/fcm-sandbox';
import { NotificationService, notifyWorkflowId } from '../../src/modules/engagement/services/notification.service';
import { ensurePushSweepSchedule, pushSweepScheduleId } from '../../src/modules/engagement/services/push-sweep-schedule';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { createUser, sql } from './helpers';

/**
 * The push sweeper: a push whose fcm_logs row was committed `queued` but whose `notify:<id>`
 * workflow never started (Temporal unreachable, or the process died in between) is started by
 * the `push-sweeper:<taskQueue>` schedule's run, once. The stack creates the schedule paused, so
 * here it runs exactly when a test triggers it (the last block leaves one running).
 */

/** Helpers on a stack started in beforeAll (hence the getter). */
function sweeperOf(current: () => TestStack) {
  let lastTrigger = 0;
  const schedule = () => current().temporal.schedule.getHandle(current().pushSweepScheduleId!);
  return {
    schedule,
    /** A push recorded exactly as NotificationService.notify records it (user with one device), but never dispatched. */
    async orphanedPush(ageSeconds: number, channels: ('in_app' | 'push')[] = ['in_app', 'push']) {
      const stack = current();
      const user = await createUser(stack);
      await sql(stack, `insert into user_devices (id, user_id, fcm_token, platform) values (gen_random_uuid(), ?, ?, 'android')`, [
        user.id,
        `tok-sweep-${user.id}`,
      ]);
      const notifications = new NotificationService({ orm: stack.orm, temporal: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
      const recorded = await stack.orm.em
        .fork()
        .transactional((em) => notifications.record(em, user.id, { type: 'payment_status', title: 'Top-up received', body: 'NPR 500 added' }, channels));
      if (ageSeconds)
        await sql(stack, `update fcm_logs set created_at = now() - make_interval(secs => ?) where notification_id = ?`, [ageSeconds, recorded!.notificationId]);
      return recorded!.notificationId;
    },
    /** Triggers the schedule once and waits for that run to finish. */
    async sweep(): Promise<{ expired: number; scanned: number; started: number; batches: number }> {
      // A run's workflow id carries its start time to the second: one trigger per second.
      while (Math.floor(Date.now() / 1000) === Math.floor(lastTrigger / 1000)) await new Promise((r) => setTimeout(r, 50));
      const seen = new Set((await schedule().describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
      lastTrigger = Date.now();
      await schedule().trigger();
      const run = await eventually(async () => (await schedule().describe()).info.recentActions.find((a) => !seen.has(a.action.workflow.workflowId)));
      return current().temporal.workflow.getHandle(run.action.workflow.workflowId, run.action.workflow.firstExecutionRunId).result();
    },
  };
}

describe('push sweeper schedule', () => {
  let fcm: FcmSandbox;
  let stack: TestStack;
  let notifications: NotificationService;
  const { schedule, orphanedPush, sweep } = sweeperOf(() => stack);

  beforeAll(async () => {
    fcm = await startFcmSandbox();
    stack = await startTestStack({ bridge: false, env: { FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson, FCM_SANDBOX_URL: fcm.url } });
    notifications = new NotificationService({ orm: stack.orm, temporal: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
  });
  afterAll(async () => {
    await stack.close();
    await fcm.close();
  });

  const logOf = async (id: string) =>
    (await sql<{ status: string; attempts: number }>(stack, `select status, attempts from fcm_logs where notification_id = ?`, [id]))[0];
  const deliveredTo = (id: string) => fcm.delivered.filter((m) => m.data.notification_id === id);

  it('when the worker starts, then its schedule exists (every 60 s, overlap SKIP, pushSweepWorkflow on its queue); starting again neither fails nor duplicates it', async () => {
    const taskQueue = stack.config.TEMPORAL_TASK_QUEUE;
    expect(stack.pushSweepScheduleId).toBe(`push-sweeper:${taskQueue}`);
    const described = await schedule().describe();
    expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 60_000 })]);
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'pushSweepWorkflow', taskQueue });
    expect(described.state.paused).toBe(true); // the test stack's choice; worker.ts creates it running

    // A restart (same call as src/workers/worker.ts), then one with a changed interval: the schedule is updated in place.
    await expect(ensurePushSweepSchedule({ client: stack.temporal, taskQueue, config: stack.config })).resolves.toBe('updated');
    await expect(ensurePushSweepSchedule({ client: stack.temporal, taskQueue, config: { PUSH_SWEEP_INTERVAL_SECONDS: 120 } })).resolves.toBe('updated');
    const changed = await schedule().describe();
    expect(changed.spec.intervals).toEqual([expect.objectContaining({ every: 120_000 })]);
    expect(changed.state.paused).toBe(true); // an update keeps the state (an operator's pause survives restarts)
    await ensurePushSweepSchedule({ client: stack.temporal, taskQueue, config: stack.config });
    const mine = await eventually(async () => {
      const ids: string[] = [];
      for await (const s of stack.temporal.schedule.list()) if (s.scheduleId === pushSweepScheduleId(taskQueue)) ids.push(s.scheduleId);
      return ids.length ? ids : undefined;
    });
    expect(mine).toHaveLength(1);
  });

  it('when a push was recorded but its workflow never started, then a sweep starts notify:<id> on the same queue, FCM gets it once and the log leaves queued', async () => {
    const id = await orphanedPush(5 * 60);
    await expect(stack.temporal.workflow.getHandle(notifyWorkflowId(id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const run = await sweep();
    // The sweep reads every file's logs: another file's push may be orphaned too (a fault test stops
    // Temporal while a push is written), so this one is among those it started, and is sent once.
    expect(run.started).toBeGreaterThanOrEqual(1);
    const notify = stack.temporal.workflow.getHandle(notifyWorkflowId(id));
    expect((await notify.describe()).taskQueue).toBe(stack.config.TEMPORAL_TASK_QUEUE);
    expect(await notify.result()).toEqual({ status: 'sent' });
    expect(await logOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(deliveredTo(id)).toHaveLength(1);
    expect(deliveredTo(id)[0]).toMatchObject({ title: 'Top-up received', body: 'NPR 500 added' });
  });

  it('when an inline send died mid-send (log left sending), then a sweep after 5 minutes starts its notify:<id> and FCM gets it once; a younger one is left alone', async () => {
    const abandoned = await orphanedPush(10 * 60);
    const young = await orphanedPush(10 * 60);
    await sql(stack, `update fcm_logs set status = 'sending', updated_at = now() - interval '6 minutes' where notification_id = ?`, [abandoned]);
    await sql(stack, `update fcm_logs set status = 'sending', updated_at = now() - interval '1 minute' where notification_id = ?`, [young]);

    await sweep();
    expect(await stack.temporal.workflow.getHandle(notifyWorkflowId(abandoned)).result()).toEqual({ status: 'sent' });
    expect(deliveredTo(abandoned)).toHaveLength(1);
    await expect(stack.temporal.workflow.getHandle(notifyWorkflowId(young)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await logOf(young)).toMatchObject({ status: 'sending' });
    await sql(stack, `update fcm_logs set status = 'failed' where notification_id = ?`, [young]); // not left for a later sweep of this file
  });

  it('when a queued push is younger than the grace period, then the sweep leaves it alone; once older, the next sweep sends it', async () => {
    const id = await orphanedPush(0);
    await sweep();
    expect(await logOf(id)).toMatchObject({ status: 'queued', attempts: 0 });
    await expect(stack.temporal.workflow.getHandle(notifyWorkflowId(id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(deliveredTo(id)).toHaveLength(0);

    await sql(stack, `update fcm_logs set created_at = now() - make_interval(secs => ?) where notification_id = ?`, [
      stack.config.PUSH_SWEEP_GRACE_SECONDS + 1,
      id,
    ]);
    await sweep();
    expect(await stack.temporal.workflow.getHandle(notifyWorkflowId(id)).result()).toEqual({ status: 'sent' });
    expect(deliveredTo(id)).toHaveLength(1);
  });

  it('when a queued push is older than PUSH_SWEEP_MAX_AGE_MINUTES, then the sweep marks it failed as expired and never sends it; the in-app row stays', async () => {
    const id = await orphanedPush((stack.config.PUSH_SWEEP_MAX_AGE_MINUTES + 1) * 60);
    const run = await sweep();
    // Nothing else in the run's database is queued for an hour (no other file backdates its logs).
    expect(run.expired).toBe(1);
    expect((await sql<{ status: string; error: string }>(stack, `select status, error from fcm_logs where notification_id = ?`, [id]))[0]).toEqual({
      status: 'failed',
      error: `expired: still queued after ${stack.config.PUSH_SWEEP_MAX_AGE_MINUTES} minutes`,
    });
    await expect(stack.temporal.workflow.getHandle(notifyWorkflowId(id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await sweep();
    expect(deliveredTo(id)).toHaveLength(0);
    expect(await sql(stack, `select id from notifications where id = ? and in_app`, [id])).toHaveLength(1);
  });

  it('when the sweeper runs twice, and again after the log is forced back to queued, then the push is still sent once by one notify run', async () => {
    const id = await orphanedPush(5 * 60);
    await sweep();
    await sweep();
    const notify = stack.temporal.workflow.getHandle(notifyWorkflowId(id));
    expect(await notify.result()).toEqual({ status: 'sent' });
    const { runId } = await notify.describe();

    // A log that still reads queued although its workflow has finished: the id is never reused.
    await sql(stack, `update fcm_logs set status = 'queued' where notification_id = ?`, [id]);
    await sweep();
    expect((await stack.temporal.workflow.getHandle(notifyWorkflowId(id)).describe()).runId).toBe(runId);
    expect(deliveredTo(id)).toHaveLength(1);
    await sql(stack, `update fcm_logs set status = 'sent' where notification_id = ?`, [id]);
  });

  it('when the service dispatches a push the normal way, then a sweep after it starts nothing new and FCM still got it once', async () => {
    const user = await createUser(stack);
    await sql(stack, `insert into user_devices (id, user_id, fcm_token, platform) values (gen_random_uuid(), ?, ?, 'android')`, [
      user.id,
      `tok-direct-${user.id}`,
    ]);
    const { notification_id } = await notifications.notify(user.id, { type: 'reward', title: 'Points', body: '+10' }, ['push']);
    const id = notification_id!;
    const notify = stack.temporal.workflow.getHandle(notifyWorkflowId(id));
    await notify.result();
    await sql(stack, `update fcm_logs set status = 'queued', created_at = now() - interval '5 minutes' where notification_id = ?`, [id]);
    await sweep();
    expect((await notify.describe()).status.name).toBe('COMPLETED');
    expect(deliveredTo(id)).toHaveLength(1);
    await sql(stack, `update fcm_logs set status = 'sent' where notification_id = ?`, [id]);
  });
});

describe('push sweeper paging', () => {
  let stack: TestStack;
  const { orphanedPush, sweep } = sweeperOf(() => stack);
  beforeAll(async () => {
    stack = await startTestStack({ bridge: false, env: { PUSH_SWEEP_BATCH_SIZE: '2' } });
  });
  afterAll(() => stack.close());

  it('when more queued pushes wait than a batch holds, all with the same created_at, then one sweep pages through every one of them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await orphanedPush(0, ['push']));
    // Older than anything else queued in the shared database, so they are the first pages (yet younger than PUSH_SWEEP_MAX_AGE_MINUTES); one timestamp for all: the id breaks ties.
    await sql(stack, `update fcm_logs set created_at = now() - interval '30 minutes' where notification_id in (?, ?, ?, ?, ?)`, ids);
    const run = await sweep();
    // All five started by this one run (no other push of the run lacks its workflow, see above),
    // which at two logs a batch takes at least three batches.
    expect(run.started).toBe(5);
    expect(run.batches).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(await stack.temporal.workflow.getHandle(notifyWorkflowId(id)).result()).toEqual({ status: 'recorded' });
  });
});

describe('push sweeper schedule left running', () => {
  let stack: TestStack;
  const { orphanedPush } = sweeperOf(() => stack);
  beforeAll(async () => {
    stack = await startTestStack({ bridge: false, pushSweep: 'running', env: { PUSH_SWEEP_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => stack.close());

  it('when the schedule is not paused, then it sweeps by itself: an orphaned push is sent (recorded: no Firebase here) without any trigger', async () => {
    const id = await orphanedPush(5 * 60, ['push']);
    await eventually(
      async () => (await sql<{ status: string }>(stack, `select status from fcm_logs where notification_id = ?`, [id]))[0]?.status === 'recorded',
      15_000,
    );
    expect((await stack.temporal.workflow.getHandle(notifyWorkflowId(id)).describe()).taskQueue).toBe(stack.config.TEMPORAL_TASK_QUEUE);
  });
});
