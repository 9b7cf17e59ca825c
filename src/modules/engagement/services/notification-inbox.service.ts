import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { offsetOf, pageOf, type Pagination } from '../../../kernel/paging';
import { Notification } from '../entities';

export function notificationDto(n: Notification) {
  return {
    id: n.id,
    type: n.type,
    title: n.title,
    body: n.body,
    data: n.data,
    is_read: !!n.readAt,
    read_at: n.readAt?.toISOString() ?? null,
    created_at: n.createdAt.toISOString(),
  };
}

/** A user's in-app notifications: list, read, delete. Only rows of that user (others look unknown). */
export class NotificationInboxService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  async list(userId: string, q: Pagination & { status: 'all' | 'read' | 'unread'; type?: string; since?: string }) {
    const em = this.deps.orm.em.fork();
    const where: Record<string, unknown> = { userId, inApp: true };
    if (q.status === 'read') where.readAt = { $ne: null };
    if (q.status === 'unread') where.readAt = null;
    if (q.type) where.type = q.type;
    if (q.since) where.createdAt = { $gte: new Date(q.since) };
    const [rows, total] = await em.findAndCount(Notification, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: q.page_size, offset: offsetOf(q) });
    const unread = await em.count(Notification, { userId, inApp: true, readAt: null });
    return { ...pageOf(rows.map(notificationDto), total, q), unread_count: unread };
  }

  private async own(userId: string, id: string) {
    const em = this.deps.orm.em.fork();
    const n = await em.findOne(Notification, { id, userId, inApp: true });
    if (!n) throw Errors.notFound('Notification');
    return { em, n };
  }

  /** Idempotent: reading a read notification keeps its first read time. */
  async markRead(userId: string, id: string) {
    const { em, n } = await this.own(userId, id);
    if (!n.readAt) {
      n.readAt = new Date();
      await em.flush();
    }
    return notificationDto(n);
  }

  async remove(userId: string, id: string) {
    const { em, n } = await this.own(userId, id);
    await em.removeAndFlush(n);
    return { id, deleted: true };
  }

  async markAllRead(userId: string) {
    const updated = await this.deps.orm.em.fork().nativeUpdate(Notification, { userId, inApp: true, readAt: null }, { readAt: new Date() });
    return { updated, unread_count: 0 };
  }
}
