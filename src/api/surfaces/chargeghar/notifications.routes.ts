import { z } from 'zod';
import { Instant } from '../../http/query';
import { NotificationInboxService } from '../../../modules/engagement';
import { PaginationMeta, PaginationQuery } from '../../http/pagination';
import type { SurfaceModule } from '../types';

const NotificationSchema = z
  .object({
    id: z.string(),
    type: z.string().openapi({ example: 'kyc_approved' }),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    is_read: z.boolean(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Notification');
const IdParams = z.object({ id: z.uuid() });
const tags = ['Notifications'];

/** Seed 001 notification features: the in-app inbox. Push delivery is logged in fcm_logs. */
export const notificationRoutes: SurfaceModule = (routes, deps) => {
  const inbox = new NotificationInboxService({ orm: deps.orm });

  routes.route({
    method: 'get',
    path: '/user/notifications',
    tags,
    auth: 'user',
    summary: 'In-app notifications, newest first, with the unread count',
    query: PaginationQuery.extend({
      status: z.enum(['all', 'read', 'unread']).default('all'),
      type: z.string().max(48).optional().openapi({ description: 'e.g. profile_reminder, kyc_approved, kyc_rejected, rental_status, payment_status, reward' }),
      since: Instant.optional().openapi({ description: 'Only notifications created at or after this time' }),
    }),
    response: z.object({ results: z.array(NotificationSchema), pagination: PaginationMeta, unread_count: z.number().int() }),
    handler: ({ user, query }) => inbox.list(user!.id, query),
  });
  routes.route({
    method: 'post',
    path: '/user/notification/:id',
    tags,
    auth: 'user',
    params: IdParams,
    response: NotificationSchema,
    summary: 'Mark one notification as read',
    description: 'Seed 001 gives mark-read and delete the same POST path: POST marks read, DELETE on this path deletes.',
    errors: { 404: 'Not a notification of this user' },
    handler: ({ user, params }) => inbox.markRead(user!.id, params.id),
  });
  routes.route({
    method: 'delete',
    path: '/user/notification/:id',
    tags,
    auth: 'user',
    params: IdParams,
    response: z.object({ id: z.string(), deleted: z.literal(true) }),
    summary: 'Delete one notification',
    errors: { 404: 'Not a notification of this user' },
    handler: ({ user, params }) => inbox.remove(user!.id, params.id),
  });
  routes.route({
    method: 'post',
    path: '/user/notifications/mark-all-read',
    tags,
    auth: 'user',
    response: z.object({ updated: z.number().int(), unread_count: z.literal(0) }),
    summary: 'Mark every notification as read',
    handler: ({ user }) => inbox.markAllRead(user!.id),
  });
};
