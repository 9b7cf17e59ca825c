import { paginated } from '../../http/pagination';
import { ProfileService, UserDirectoryService } from '../../../modules/identity';
import { readWallet } from '../../../modules/ledger';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import type { SurfaceModule } from '../types';
import { notificationServiceFor } from './engagement-deps';
import { ProfilePatchBody, ProfilePutBody, ProfileSchema, UsageStatsSchema, UserListItem, UserListQueryParams, WalletSchema } from './schemas/user.schemas';
import { chargegharProfile } from './profile';

const tags = ['User'];

/** The services the routes below call. */
function ctxOf(deps: ApiDeps) {
  const profiles = new ProfileService({ orm: deps.orm, notifications: notificationServiceFor(deps) });
  const directory = new UserDirectoryService({ orm: deps.orm });
  return { profiles, directory };
}
type Ctx = ReturnType<typeof ctxOf>;

/** Read, replace or change the own profile, under `base` (`/user` or `/users`). */
function profileRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { profiles }: Ctx, base: string) {
  routes.route({
    method: 'get',
    path: `${base}/profile`,
    tags,
    auth: 'user',
    response: ProfileSchema,
    summary: 'The full profile: personal data, address, KYC status and completeness',
    description: 'While the profile is incomplete an in-app "complete your profile" reminder is sent, at most once a day.',
    errors: { 404: 'No account for this token (USER_NOT_FOUND)' },
    handler: ({ user }) => profiles.get(user!.id),
  });
  routes.route({
    method: 'put',
    path: `${base}/profile`,
    tags,
    auth: 'user',
    body: ProfilePutBody,
    response: ProfileSchema,
    summary: 'Replace the profile (fields left out are cleared); required for rental eligibility',
    errors: { 404: 'No account for this token' },
    handler: ({ user, body }) => profiles.update(user!.id, body, 'put'),
  });
  routes.route({
    method: 'patch',
    path: `${base}/profile`,
    tags,
    auth: 'user',
    body: ProfilePatchBody,
    response: ProfileSchema,
    summary: 'Change some profile fields (null clears one)',
    errors: { 404: 'No account for this token' },
    handler: ({ user, body }) => profiles.update(user!.id, body, 'patch'),
  });
}

/** The own wallet and usage statistics, under `base` (`/user` or `/users`). */
function walletAndStatsRoutes(routes: SurfaceRoutes, deps: ApiDeps, _ctx: Ctx, base: string) {
  routes.route({
    method: 'get',
    path: `${base}/wallet`,
    tags,
    auth: 'user',
    response: WalletSchema,
    summary: 'Wallet balance (NPR) and reward points',
    handler: ({ user }) => readWallet(deps.orm, user!.id, chargegharProfile(deps).currency),
  });
  routes.route({
    method: 'get',
    path: `${base}/analytics/usage-stats`,
    tags,
    auth: 'user',
    response: UsageStatsSchema,
    summary: 'Usage statistics: rentals, top-ups, points, favorites, reports',
    handler: ({ user }) => deps.usageStats(user!.id),
  });
}

/** Admins list the users. */
function adminUserRoutes(routes: SurfaceRoutes, _deps: ApiDeps, { directory }: Ctx) {
  routes.route({
    method: 'get',
    path: '/users',
    tags: ['Admin: Users'],
    auth: 'admin',
    summary: 'All users with profile and KYC state (admin)',
    query: UserListQueryParams,
    response: paginated(UserListItem, { estimatedTotal: true }),
    handler: ({ query }) => directory.list(query),
  });
}

/** Seed 001 `/user/...` and seed 003 `/users/...`: profile, wallet, usage stats; admin user list. */
export const userProfileRoutes: SurfaceModule = (routes, deps) => {
  const ctx = ctxOf(deps);
  for (const base of ['/user', '/users']) {
    profileRoutes(routes, deps, ctx, base);
    walletAndStatsRoutes(routes, deps, ctx, base);
  }
  adminUserRoutes(routes, deps, ctx);
};
