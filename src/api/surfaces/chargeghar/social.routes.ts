import { z } from 'zod';
import { AchievementService, LeaderboardService } from '../../../modules/social';
import { paginated, PaginationQuery, QueryBool } from '../../http/pagination';
import type { SurfaceModule } from '../types';
import {
  AchievementAnalyticsSchema,
  AchievementBody,
  AchievementPatchBody,
  AchievementSchema,
  AchievementWithStatsSchema,
  LeaderboardEntrySchema,
  LeaderboardPeriodQuery,
  LeaderboardSchema,
  MyAchievementsSchema,
} from './schemas/social.schemas';

const IdParams = z.object({ id: z.uuid() });

/** Social features (seed 001): the leaderboard and achievements, for riders and for admins. */
export const socialRoutes: SurfaceModule = (routes, deps) => {
  const board = new LeaderboardService(deps.orm);
  const achievements = new AchievementService(deps.orm);

  routes.route({
    method: 'get',
    path: '/users/leaderboard',
    tags: ['Social'],
    auth: 'user',
    query: z.object({ period: LeaderboardPeriodQuery, me: QueryBool.optional().openapi({ description: 'true: add the caller’s own position' }) }),
    response: LeaderboardSchema,
    summary: 'Top 10 riders by score (rentals, points, referrals, timely returns; late returns lower it), with ?me=true the caller’s own position',
    handler: async ({ query, user }) => ({
      period: query.period,
      top: await board.top(query.period),
      ...(query.me ? { me: await board.position(query.period, user!.id) } : {}),
    }),
  });

  routes.route({
    method: 'get',
    path: '/users/achievements',
    tags: ['Social'],
    auth: 'user',
    response: MyAchievementsSchema,
    summary: 'The caller’s unlocked achievements, and progress towards the locked ones',
    handler: ({ user }) => achievements.mine(user!.id),
  });
};

/** Admin side of the social features: the whole leaderboard, achievements CRUD and their analytics. */
export const adminSocialRoutes: SurfaceModule = (routes, deps) => {
  const board = new LeaderboardService(deps.orm);
  const achievements = new AchievementService(deps.orm);

  routes.route({
    method: 'get',
    path: '/admin/leaderboard',
    tags: ['Admin: Social'],
    auth: 'admin',
    query: PaginationQuery.extend({ period: LeaderboardPeriodQuery }),
    response: paginated(LeaderboardEntrySchema),
    summary: 'Every ranked user with their score and its parts, a page at a time',
    handler: ({ query }) => board.page(query.period, { page: query.page, page_size: query.page_size }),
  });

  routes.route({
    method: 'post',
    path: '/admin/achievements',
    tags: ['Admin: Social'],
    auth: 'admin',
    body: AchievementBody,
    response: AchievementSchema,
    status: 201,
    summary: 'Create an achievement: criteria (a running total and its threshold) and a points reward',
    errors: { 409: 'ACHIEVEMENT_CODE_TAKEN' },
    handler: ({ body }) => achievements.create(body),
  });

  routes.route({
    method: 'get',
    path: '/admin/achievements',
    tags: ['Admin: Social'],
    auth: 'admin',
    query: z.object({ active: QueryBool.optional() }),
    response: z.array(AchievementWithStatsSchema),
    summary: 'Every achievement with its usage: unlocks, unlock rate, points awarded',
    handler: ({ query }) => achievements.listWithStats({ active: query.active }),
  });

  routes.route({
    method: 'get',
    path: '/admin/achievements/analytics',
    tags: ['Admin: Social'],
    auth: 'admin',
    response: AchievementAnalyticsSchema,
    summary: 'Unlock rates per achievement and engagement: users with achievements, points awarded, unlocks per day',
    handler: () => achievements.analytics(),
  });

  routes.route({
    method: 'put',
    path: '/admin/achievements/:id',
    tags: ['Admin: Social'],
    auth: 'admin',
    params: IdParams,
    body: AchievementPatchBody,
    response: AchievementSchema,
    summary: 'Update an achievement (name, description, criteria, reward) or deactivate it (active: false); unlocks already made stand',
    errors: { 404: 'No such achievement' },
    handler: ({ params, body }) => achievements.update(params.id, body),
  });
};
