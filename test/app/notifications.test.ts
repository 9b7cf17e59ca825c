import { NotificationService } from '../../src/modules/engagement/services/notification.service';
import { useTestStack } from '../support/fixtures';
import { as, createUser } from './helpers';

describe('in-app notifications inbox', () => {
  const fx = useTestStack({ worker: false, bridge: false }, async ({ stack }) => ({
    svc: new NotificationService({ orm: stack.orm, temporal: stack.temporal, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }),
  }));

  /** Each test's own user with four notifications, oldest first. */
  async function inbox() {
    const user = await createUser(fx.stack);
    const ids: string[] = [];
    for (const [type, title] of [
      ['payment_status', 'Top-up successful'],
      ['reward', '+10 points'],
      ['reward', '+5 points'],
      ['rental_status', 'Power bank ejected'],
    ]) {
      ids.push((await fx.svc.notify(user.id, { type, title, body: `${title}.`, data: { n: ids.length } }, ['in_app'])).notification_id!);
      await new Promise((r) => setTimeout(r, 5)); // distinct created_at for a stable order
    }
    return { user, ids, u: () => as(fx.stack, user.token) };
  }

  it('when the inbox is listed, then it is newest first, paginated, filterable by type and carries the unread count', async () => {
    const { ids, u } = await inbox();
    const page1 = await u().get('/api/user/notifications?page_size=3');
    expect(page1.body.data.results.map((n: { id: string }) => n.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(page1.body.data).toMatchObject({ pagination: { total: 4, total_pages: 2 }, unread_count: 4 });
    expect(page1.body.data.results[0]).toMatchObject({ type: 'rental_status', title: 'Power bank ejected', is_read: false, read_at: null, data: { n: 3 } });
    const rewards = await u().get('/api/user/notifications?type=reward');
    expect(rewards.body.data.results.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    expect((await u().get('/api/user/notifications?status=maybe')).status).toBe(400);
  });

  it('when one is marked read with POST, then it is read, the unread count drops and the read filter finds it', async () => {
    const { ids, u } = await inbox();
    const res = await u().post(`/api/user/notification/${ids[0]}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ids[0], is_read: true });
    const again = await u().post(`/api/user/notification/${ids[0]}`);
    expect(again.body.data.read_at).toBe(res.body.data.read_at);
    const read = await u().get('/api/user/notifications?status=read');
    expect(read.body.data.results.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(read.body.data.unread_count).toBe(3);
  });

  it('when one is deleted with DELETE, then it is gone and a second delete is 404', async () => {
    const { ids, u } = await inbox();
    expect((await u().delete(`/api/user/notification/${ids[1]}`)).body.data).toEqual({ id: ids[1], deleted: true });
    expect((await u().delete(`/api/user/notification/${ids[1]}`)).status).toBe(404);
    expect((await u().get('/api/user/notifications')).body.data.pagination.total).toBe(3);
  });

  it('when another user touches my notification, then it is 404 for them and unchanged for me', async () => {
    const { ids, u } = await inbox();
    const other = await createUser(fx.stack);
    expect((await as(fx.stack, other.token).post(`/api/user/notification/${ids[2]}`)).status).toBe(404);
    expect((await as(fx.stack, other.token).delete(`/api/user/notification/${ids[2]}`)).status).toBe(404);
    expect((await as(fx.stack, other.token).post('/api/user/notification/not-a-uuid')).status).toBe(400);
    expect((await u().get('/api/user/notifications?status=unread')).body.data.results.map((n: { id: string }) => n.id)).toContain(ids[2]);
  });

  it('when all are marked read, then none is unread', async () => {
    const { ids, u } = await inbox();
    // One already read and one deleted: two are left to mark.
    await u().post(`/api/user/notification/${ids[0]}`).expect(200);
    await u().delete(`/api/user/notification/${ids[1]}`).expect(200);
    const res = await u().post('/api/user/notifications/mark-all-read');
    expect(res.body.data).toEqual({ updated: 2, unread_count: 0 });
    const unread = await u().get('/api/user/notifications?status=unread');
    expect(unread.body.data).toMatchObject({ results: [], unread_count: 0 });
    expect((await as(fx.stack).get('/api/user/notifications')).status).toBe(401);
  });
});
