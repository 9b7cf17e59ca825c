import { z } from 'zod';
import { paginated } from '../../http/pagination';
import { ADMIN_USER_STATUSES, UserAdminService, UserDirectoryService } from '../../../modules/identity';
import type { SurfaceModule } from '../types';
import { UserListItem, UserListQueryParams } from './schemas/user.schemas';

const UserId = z.object({ id: z.string().uuid() });

const Account = {
  id: z.string(),
  username: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string(),
  status: z.string(),
  status_reason: z.string().nullable(),
  status_changed_at: z.string().nullable(),
  status_changed_by: z.string().nullable(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
};

const AdminUserDetail = z
  .object({
    ...Account,
    profile: z.record(z.string(), z.unknown()).nullable(),
    kyc: z.object({ status: z.string() }).passthrough(),
    devices: z.array(z.object({ id: z.string(), platform: z.string(), model: z.string().nullable(), last_seen_at: z.string().nullable() }).passthrough()),
    active_sessions: z.number().int(),
    wallet: z.object({ currency: z.string(), balance: z.string(), balance_minor: z.number().int() }),
    points: z.object({ balance: z.number().int(), value: z.string() }),
    dues: z.object({ amount: z.string(), amount_minor: z.number().int() }),
    rentals: z.object({ total: z.number().int() }),
    recent_transactions: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('AdminUserDetail');

const StatusBody = z
  .object({
    status: z.enum(ADMIN_USER_STATUSES),
    reason: z.string().trim().min(3).max(255),
  })
  .openapi('AdminUserStatus');

/** Seed 001 Admin › User Management: list, detail, status (ban ends sessions at once). */
export const adminUsersRoutes: SurfaceModule = (routes, deps) => {
  const directory = new UserDirectoryService({ orm: deps.orm });
  const users = new UserAdminService({ orm: deps.orm });

  routes.route({
    method: 'get',
    path: '/admin/users',
    summary: 'Users (paginated): filter by status, KYC state, registration dates; search phone, email, username or name',
    tags: ['Admin: Users'],
    auth: 'admin',
    query: UserListQueryParams,
    response: paginated(UserListItem, { estimatedTotal: true }),
    handler: ({ query }) => directory.list(query),
  });

  routes.route({
    method: 'get',
    path: '/admin/users/:id',
    summary: 'One user: account, profile, KYC, wallet and points, dues, rentals count, devices, recent transactions',
    tags: ['Admin: Users'],
    auth: 'admin',
    params: UserId,
    response: AdminUserDetail,
    errors: { 404: 'Unknown user' },
    handler: ({ params }) => deps.adminUserDetail(params.id),
  });

  routes.route({
    method: 'patch',
    path: '/admin/users/:id/status',
    summary: 'Sets a user active, banned or suspended, with a reason; banned or suspended ends every session at once',
    description:
      'Every request of a banned or suspended user is refused with 403 ACCOUNT_DISABLED (its sessions are revoked too, so reactivating the account needs a new login). A rental already running completes and bills as usual. Audited with the account before and after.',
    tags: ['Admin: Users'],
    auth: 'admin',
    params: UserId,
    body: StatusBody,
    response: z.object({ ...Account, sessions_ended: z.number().int() }),
    errors: { 404: 'Unknown user', 409: 'An admin changing their own status (CANNOT_CHANGE_OWN_STATUS)' },
    audit: { target: 'user' },
    handler: async ({ params, body, user, res }) => {
      const { before, after } = await users.setStatus(user!.id, params.id, body.status, body.reason);
      res.locals.auditBefore = before;
      return after;
    },
  });
};
