import { startFcmSandbox } from '../../src/modules/engagement/push/fcm-sandbox';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { BroadcastService, broadcastWorkflowId, createNotificationActivities, createPushSender } from '../../src/modules/engagement';
import { userDeviceTokens } from '../../src/modules/identity';
import { NotificationService, notifyWorkflowId } from '../../src/modules/engagement/services/notification.service';
import { stackIn, useFixture } from '../support/fixtures';
import { eventually } from '../support/stack';
import { createUser, sql } from './helpers';

/**
 * Push through firebase-admin against the local FCM sandbox (OAuth JWT-bearer + HTTP v1).
 * Device tokens come from user_devices(user_id, fcm_token), the registry of POST /auth/device.
 */
describe('push notifications through FCM with durable retries', () => {
  const fx = useFixture(async (s) => {
    const fcm = await s.use(startFcmSandbox(), (f) => f.close());
    const stack = await stackIn(s, { bridge: false, env: { FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson, FCM_SANDBOX_URL: fcm.url } });
    const notifications = new NotificationService({ orm: stack.orm, temporal: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
    // The device registry of POST /auth/device; created here only where that module is absent.
    await sql(
      stack,
      `create table if not exists user_devices (id uuid primary key, user_id uuid not null, fcm_token varchar(512) not null unique, platform varchar(16) not null)`,
    );
    // As a rental's activities notify (issue 16): the push sent in this process, its workflow only when that send fails.
    const { sendPush } = createNotificationActivities({ orm: stack.orm, push: createPushSender(stack.config), deviceTokens: userDeviceTokens });
    const inline = new NotificationService({ orm: stack.orm, temporal: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, deliverNow: sendPush });
    return { fcm, stack, notifications, inline };
  });

  async function userWithDevices(...tokens: string[]) {
    const user = await createUser(fx.stack);
    for (const t of tokens) {
      await sql(
        fx.stack,
        `insert into user_devices (id, user_id, fcm_token, platform) values (gen_random_uuid(), ?, ?, 'android') on conflict (fcm_token) do nothing`,
        [user.id, t],
      );
    }
    return user;
  }

  async function pushAndWait(userId: string, title = 'Rental ending soon') {
    const { notification_id } = await fx.notifications.notify(
      userId,
      { type: 'rental_time_alert', title, body: 'Return within 15 minutes', data: { rental_id: 'r-1', minutes: 15 } },
      ['in_app', 'push'],
    );
    const [logBefore] = await sql(fx.stack, `select status from fcm_logs where notification_id = ?`, [notification_id]);
    expect(logBefore).toBeDefined(); // the log exists as soon as notify returns, before the workflow sends
    await fx.stack.temporal.workflow.getHandle(notifyWorkflowId(notification_id!)).result();
    const [log] = await sql<{ status: string; attempts: number; results: Record<string, { status: string; error?: string }>; sent_at: Date | null }>(
      fx.stack,
      `select status, attempts, results, sent_at from fcm_logs where notification_id = ?`,
      [notification_id],
    );
    return { id: notification_id!, log };
  }

  it('when a user with two devices is notified, then FCM delivers to both and the log says sent', async () => {
    const user = await userWithDevices(`tok-a-${Date.now()}`, `tok-b-${Date.now()}`);
    const { id, log } = await pushAndWait(user.id);
    expect(log).toMatchObject({ status: 'sent', attempts: 1 });
    expect(log.sent_at).not.toBeNull();
    const mine = fx.fcm.delivered.filter((m) => m.data.notification_id === id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      title: 'Rental ending soon',
      body: 'Return within 15 minutes',
      data: { rental_id: 'r-1', minutes: '15', notification_id: id },
    });
  });

  it('when FCM fails twice with INTERNAL, then the activity is retried by Temporal and the third attempt sends', async () => {
    const user = await userWithDevices(`tok-retry-${Date.now()}`);
    fx.fcm.failNext(2, 500);
    const { id, log } = await pushAndWait(user.id, 'Retried');
    expect(log).toMatchObject({ status: 'sent', attempts: 3 });
    expect(fx.fcm.delivered.filter((m) => m.data.notification_id === id)).toHaveLength(1);
  });

  it('when one device token is unregistered, then the other still gets it and the log is partial; with none valid, failed', async () => {
    const dead = `tok-dead-${Date.now()}`;
    fx.fcm.unregistered.add(dead);
    const mixed = await userWithDevices(dead, `tok-live-${Date.now()}`);
    const partial = await pushAndWait(mixed.id);
    expect(partial.log.status).toBe('partial');
    expect(partial.log.results[dead]).toEqual({ status: 'failed', error: 'messaging/registration-token-not-registered' });
    const dead2 = `tok-dead2-${Date.now()}`;
    fx.fcm.unregistered.add(dead2);
    const onlyDead = await userWithDevices(dead2);
    expect((await pushAndWait(onlyDead.id)).log).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('when a push is sent inline, then FCM gets it from this process and no notify workflow is started', async () => {
    const token = `tok-inline-${Date.now()}`;
    const user = await userWithDevices(token);
    const msg = { type: 'rental_status', title: 'Power bank ready', body: 'Take it from slot 3' };
    const { notification_id } = await fx.inline.notify(user.id, msg, ['in_app', 'push'], { dedupeKey: `inline:${user.id}` });
    const log = await eventually(async () => {
      const [row] = await sql<{ status: string; attempts: number }>(fx.stack, `select status, attempts from fcm_logs where notification_id = ?`, [
        notification_id,
      ]);
      return row?.status === 'sent' && row;
    });
    expect(log).toMatchObject({ status: 'sent', attempts: 1 });
    expect(fx.fcm.delivered.filter((m) => m.data.notification_id === notification_id)).toEqual([expect.objectContaining({ token, title: 'Power bank ready' })]);
    await expect(fx.stack.temporal.workflow.getHandle(notifyWorkflowId(notification_id!)).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  it('when an inline push fails with INTERNAL, then its notify workflow retries it and FCM delivers it once', async () => {
    const user = await userWithDevices(`tok-inline-retry-${Date.now()}`);
    fx.fcm.failNext(1, 500);
    const { notification_id } = await fx.inline.notify(user.id, { type: 'rental_status', title: 'Returned', body: 'Thanks' }, ['in_app', 'push']);
    const handle = fx.stack.temporal.workflow.getHandle(notifyWorkflowId(notification_id!));
    await eventually(() =>
      handle.describe().then(
        () => true,
        () => false,
      ),
    );
    expect(await handle.result()).toEqual({ status: 'sent' });
    const [log] = await sql(fx.stack, `select status, attempts from fcm_logs where notification_id = ?`, [notification_id]);
    expect(log).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fx.fcm.delivered.filter((m) => m.data.notification_id === notification_id)).toHaveLength(1);
  });

  it('when the user has no device, then nothing is sent and the log says no_device', async () => {
    const user = await createUser(fx.stack);
    expect((await pushAndWait(user.id)).log.status).toBe('no_device');
  });

  it('when notify is repeated with the same dedupe key, then only one notification and one push exist', async () => {
    const user = await userWithDevices(`tok-dedupe-${Date.now()}`);
    const msg = { type: 'reward', title: 'Points earned', body: '+50 points for signing up' };
    const first = await fx.notifications.notify(user.id, msg, ['in_app', 'push'], { dedupeKey: `signup-points:${user.id}` });
    const second = await fx.notifications.notify(user.id, msg, ['in_app', 'push'], { dedupeKey: `signup-points:${user.id}` });
    expect(first.created).toBe(true);
    expect(second).toEqual({ notification_id: null, created: false });
    const rows = await sql(fx.stack, `select n.id from notifications n join fcm_logs f on f.notification_id = n.id where n.user_id = ?`, [user.id]);
    expect(rows).toHaveLength(1);
  });

  it('when an admin broadcast reaches a user with a device and one without, then FCM delivers it to the device once, and the same broadcast id again sends nothing more', async () => {
    const token = `tok-broadcast-${Date.now()}`;
    const withDevice = await userWithDevices(token);
    const without = await createUser(fx.stack);
    // Both registered in the same second of a random day of 1980: the broadcast's segment is them alone.
    const at = new Date(Date.UTC(1980, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000);
    await sql(fx.stack, `update users set created_at = ? where id in (?, ?)`, [at, withDevice.id, without.id]);
    const broadcasts = new BroadcastService({ orm: fx.stack.orm, temporal: fx.stack.temporal, taskQueue: fx.stack.config.TEMPORAL_TASK_QUEUE });
    const request = {
      broadcast_id: randomUUID(),
      title: 'Festival hours',
      body: 'Stations stay open all night.',
      segment: { registered_from: at.toISOString(), registered_to: new Date(at.getTime() + 1000).toISOString() },
    };
    await broadcasts.start(without.id, request);
    const handle = fx.stack.temporal.workflow.getHandle(broadcastWorkflowId(request.broadcast_id));
    expect(await handle.result()).toMatchObject({ delivered: 2, done: true });

    const mine = () => fx.fcm.delivered.filter((m) => m.data.broadcast_id === request.broadcast_id);
    expect(mine()).toHaveLength(1);
    expect(mine()[0]).toMatchObject({ token, title: 'Festival hours', body: 'Stations stay open all night.' });
    const logs = await sql(fx.stack, `select f.user_id, f.status from fcm_logs f join notifications n on n.id = f.notification_id where n.dedupe_key like ?`, [
      `broadcast:${request.broadcast_id}:%`,
    ]);
    expect(logs).toEqual([{ user_id: withDevice.id, status: 'sent' }]);

    await broadcasts.start(without.id, request);
    expect(await handle.result()).toMatchObject({ delivered: 2 });
    expect(mine()).toHaveLength(1);
  });
});
